"""The `imggen` wire format: what POST /invocations takes and answers (libs/models imggen codec is the client).

Request (Content-Type application/json):
    {"prompt": str, "negativePrompt"?: str, "width": int, "height": int, "steps": int, "guidanceScale": number,
     "seed": int, "numImages": int, "outputFormat"?: "png"|"jpeg"|"webp", "inferenceId"?: str}
Response 200 (application/json):
    {"images": [{"outcome": "ok", "base64": str, "format": "png", "seed": int}
                | {"outcome": "filtered" | "failed", "seed": int, "message"?: str}],
     "seed": int, "model": str, "timings": {"loadMs": int, "queueMs": int, "inferenceMs": int}}
Errors (any other status): {"error": {"code": str, "message": str}}.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Optional

OUTCOMES = ("ok", "filtered", "failed")
OUTPUT_FORMATS = ("png", "jpeg", "webp")
MAX_SEED = 4_294_967_295


class RequestError(Exception):
    """A request the container refuses; `status` is the HTTP status it answers."""

    def __init__(self, message: str, status: int = 400, code: str = "bad_request") -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


@dataclass(frozen=True)
class Limits:
    max_side: int = 2048
    side_multiple: int = 8
    max_steps: int = 150
    max_images: int = 8
    max_prompt_chars: int = 4000


@dataclass(frozen=True)
class GenerationRequest:
    prompt: str
    width: int
    height: int
    steps: int
    guidance_scale: float
    seed: int
    num_images: int
    output_format: str = "png"
    negative_prompt: Optional[str] = None
    inference_id: Optional[str] = None


@dataclass(frozen=True)
class ImageResult:
    """One image of the batch: `data` is the encoded image when the outcome is ok."""

    outcome: str
    seed: int
    data: Optional[bytes] = None
    format: Optional[str] = None
    message: Optional[str] = None


@dataclass(frozen=True)
class Timings:
    load_ms: int = 0
    queue_ms: int = 0
    inference_ms: int = 0


@dataclass(frozen=True)
class GenerationResult:
    images: list
    seed: int
    model: str
    timings: Timings = field(default_factory=Timings)


def _media_type(value: Optional[str]) -> str:
    return (value or "").split(";")[0].strip().lower()


def _integer(body: dict, name: str, low: int, high: int, problems: list) -> int:
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        problems.append(f"{name}: must be an integer")
        return 0
    if value < low or value > high:
        problems.append(f"{name}: must be between {low} and {high}")
    return value


def parse_request(body: bytes, content_type: Optional[str], limits: Limits = Limits()) -> GenerationRequest:
    """Parses and checks an invocation body; raises RequestError naming every bad field."""
    if content_type and _media_type(content_type) != "application/json":
        raise RequestError(f"unsupported content type {content_type}; send application/json", 415, "unsupported_media_type")
    try:
        parsed = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise RequestError("the request body is not valid JSON") from None
    if not isinstance(parsed, dict):
        raise RequestError("the request body must be a JSON object")
    problems: list = []
    prompt = parsed.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        problems.append("prompt: must be a non-empty string")
    elif len(prompt) > limits.max_prompt_chars:
        problems.append(f"prompt: must be at most {limits.max_prompt_chars} characters")
    negative = parsed.get("negativePrompt")
    if negative is not None and not isinstance(negative, str):
        problems.append("negativePrompt: must be a string")
    sides = {}
    for name in ("width", "height"):
        sides[name] = _integer(parsed, name, limits.side_multiple, limits.max_side, problems)
        if sides[name] % limits.side_multiple != 0:
            problems.append(f"{name}: must be a multiple of {limits.side_multiple}")
    steps = _integer(parsed, "steps", 1, limits.max_steps, problems)
    seed = _integer(parsed, "seed", 0, MAX_SEED, problems)
    num_images = _integer(parsed, "numImages", 1, limits.max_images, problems)
    guidance = parsed.get("guidanceScale")
    if isinstance(guidance, bool) or not isinstance(guidance, (int, float)) or not 0 <= guidance <= 35:
        problems.append("guidanceScale: must be a number between 0 and 35")
    output_format = parsed.get("outputFormat", "png")
    if output_format not in OUTPUT_FORMATS:
        problems.append(f"outputFormat: must be one of {', '.join(OUTPUT_FORMATS)}")
    inference_id = parsed.get("inferenceId")
    if inference_id is not None and (not isinstance(inference_id, str) or not inference_id):
        problems.append("inferenceId: must be a non-empty string")
    if problems:
        raise RequestError("invalid request: " + "; ".join(problems))
    return GenerationRequest(
        prompt=prompt,
        negative_prompt=negative if negative else None,
        width=sides["width"],
        height=sides["height"],
        steps=steps,
        guidance_scale=float(guidance),
        seed=seed,
        num_images=num_images,
        output_format=output_format,
        inference_id=inference_id,
    )


def image_json(image: ImageResult) -> dict:
    if image.outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {image.outcome}")
    entry: dict = {"outcome": image.outcome, "seed": image.seed}
    if image.outcome == "ok":
        entry["base64"] = base64.b64encode(image.data or b"").decode("ascii")
        entry["format"] = image.format
    elif image.message:
        entry["message"] = image.message
    return entry


def build_response(result: GenerationResult) -> bytes:
    return json.dumps(
        {
            "images": [image_json(image) for image in result.images],
            "seed": result.seed,
            "model": result.model,
            "timings": {
                "loadMs": result.timings.load_ms,
                "queueMs": result.timings.queue_ms,
                "inferenceMs": result.timings.inference_ms,
            },
        }
    ).encode("utf-8")


def error_body(code: str, message: str) -> bytes:
    return json.dumps({"error": {"code": code, "message": message}}).encode("utf-8")
