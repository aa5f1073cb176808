"""Settings from the environment, validated at start (a bad value stops the container with a clear message)."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Mapping, Optional

from .cancel import parse_s3_uri
from .wire import Limits


@dataclass(frozen=True)
class Preset:
    """A model configuration: where its weights come from and what it accepts."""

    model_id: str
    limits: Limits
    # distilled models are trained without classifier-free guidance: any guidance is replaced by this
    force_guidance_scale: Optional[float] = None


PRESETS = {
    "sdxl": Preset("stabilityai/stable-diffusion-xl-base-1.0", Limits(max_side=1536, side_multiple=8, max_steps=100)),
    # SDXL-Turbo (adversarial diffusion distillation): 1-4 steps, no guidance, trained at 512x512
    "sdxl-turbo": Preset(
        "stabilityai/sdxl-turbo",
        Limits(max_side=1024, side_multiple=8, max_steps=4),
        force_guidance_scale=0.0,
    ),
    "sd21": Preset("stabilityai/stable-diffusion-2-1-base", Limits(max_side=1024, side_multiple=8, max_steps=100)),
}


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Settings:
    preset_name: str
    preset: Preset
    model_id: str
    model_dir: str
    weights_variant: Optional[str]
    safety_checker: str
    host: str
    port: int
    limits: Limits
    cancel_s3_uri: Optional[str]
    cancel_interval_s: float
    progress_topic_arn: Optional[str]
    progress_interval_s: float
    log_level: str


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int, problems: list) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        problems.append(f"{name}: must be an integer, got {raw!r}")
        return default
    if not low <= value <= high:
        problems.append(f"{name}: must be between {low} and {high}, got {value}")
    return value


def load_settings(env: Mapping[str, str] = os.environ) -> Settings:
    problems: list = []
    preset_name = env.get("IMGGEN_MODEL_PRESET", "sdxl")
    preset = PRESETS.get(preset_name)
    if preset is None:
        problems.append(f"IMGGEN_MODEL_PRESET: must be one of {', '.join(PRESETS)}, got {preset_name!r}")
        preset = PRESETS["sdxl"]
    limits = replace(
        preset.limits,
        max_images=_int(env, "IMGGEN_MAX_IMAGES", preset.limits.max_images, 1, 16, problems),
        max_side=_int(env, "IMGGEN_MAX_SIDE", preset.limits.max_side, 64, 4096, problems),
    )
    cancel_uri = env.get("IMGGEN_CANCEL_S3_URI") or None
    if cancel_uri:
        try:
            parse_s3_uri(cancel_uri)
        except ValueError as error:
            problems.append(f"IMGGEN_CANCEL_S3_URI: {error}")
    topic = env.get("IMGGEN_PROGRESS_TOPIC_ARN") or None
    if topic and not topic.startswith("arn:"):
        problems.append(f"IMGGEN_PROGRESS_TOPIC_ARN: must be an SNS topic ARN, got {topic!r}")
    settings = Settings(
        preset_name=preset_name,
        preset=preset,
        model_id=env.get("IMGGEN_MODEL_ID") or preset.model_id,
        model_dir=env.get("IMGGEN_MODEL_DIR") or env.get("SM_MODEL_DIR") or "/opt/ml/model",
        weights_variant=env.get("IMGGEN_WEIGHTS_VARIANT") or None,
        safety_checker=env.get("IMGGEN_SAFETY_CHECKER", "auto"),
        host=env.get("IMGGEN_HOST", "0.0.0.0"),
        port=_int(env, "SAGEMAKER_BIND_TO_PORT", _int(env, "IMGGEN_PORT", 8080, 1, 65535, problems), 1, 65535, problems),
        limits=limits,
        cancel_s3_uri=cancel_uri,
        cancel_interval_s=_int(env, "IMGGEN_CANCEL_CHECK_INTERVAL_MS", 250, 0, 60_000, problems) / 1000,
        progress_topic_arn=topic,
        progress_interval_s=_int(env, "IMGGEN_PROGRESS_INTERVAL_MS", 500, 100, 60_000, problems) / 1000,
        log_level=env.get("LOG_LEVEL", "INFO").upper(),
    )
    if problems:
        raise ConfigError("invalid configuration:\n" + "\n".join(f"  - {problem}" for problem in problems))
    return settings
