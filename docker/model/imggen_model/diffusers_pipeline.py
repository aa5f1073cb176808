"""The real model: a diffusers text-to-image pipeline, fp16 on a GPU. torch and diffusers are imported only when the
model is loaded, so everything else (HTTP contract, wire format, cancel, progress) runs and is tested without them."""

from __future__ import annotations

import io
import logging
import os
from typing import List, Optional

from .config import Settings
from .inference import GeneratedImage, StepCallback
from .wire import GenerationRequest, Limits

log = logging.getLogger("imggen.diffusers")

PIL_FORMATS = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}


def weights_source(settings: Settings) -> str:
    """/opt/ml/model when SageMaker unpacked a diffusers folder there (ModelDataUrl), else the configured model id."""
    if os.path.isfile(os.path.join(settings.model_dir, "model_index.json")):
        return settings.model_dir
    return settings.model_id


def encode(image, output_format: str) -> bytes:
    buffer = io.BytesIO()
    save_format = PIL_FORMATS[output_format]
    options = {"quality": 95} if save_format in ("JPEG", "WEBP") else {}
    image.convert("RGB").save(buffer, format=save_format, **options)
    return buffer.getvalue()


class _SafetyChecker:
    """The Stable Diffusion safety checker, for pipelines that have none of their own (SDXL)."""

    def __init__(self, source: str, device: str, dtype) -> None:
        from diffusers.pipelines.stable_diffusion.safety_checker import StableDiffusionSafetyChecker  # noqa: PLC0415
        from transformers import CLIPImageProcessor  # noqa: PLC0415

        self._checker = StableDiffusionSafetyChecker.from_pretrained(source, torch_dtype=dtype).to(device)
        self._processor = CLIPImageProcessor.from_pretrained(source)
        self._device = device
        self._dtype = dtype

    def flags(self, images) -> List[bool]:
        import numpy as np  # noqa: PLC0415

        features = self._processor(images, return_tensors="pt").to(self._device)
        arrays = np.stack([np.asarray(image.convert("RGB"), dtype=np.float32) / 255.0 for image in images])
        _, nsfw = self._checker(images=arrays, clip_input=features.pixel_values.to(self._dtype))
        return [bool(flag) for flag in nsfw]


class DiffusersPipeline:
    def __init__(self, pipe, settings: Settings, device: str, safety: Optional[_SafetyChecker]) -> None:
        self._pipe = pipe
        self._settings = settings
        self._device = device
        self._safety = safety
        self.name = settings.model_id if weights_source(settings) != settings.model_dir else f"{settings.preset_name}@model-dir"
        self.limits: Limits = settings.limits

    def generate(self, request: GenerationRequest, on_step: StepCallback) -> List[GeneratedImage]:
        import torch  # noqa: PLC0415

        # one generator per image: image i is reproducible alone with seed + i and numImages 1
        generators = [torch.Generator(device=self._device).manual_seed(request.seed + i) for i in range(request.num_images)]
        forced = self._settings.preset.force_guidance_scale
        guidance = forced if forced is not None else request.guidance_scale

        def callback(_pipe, step_index: int, _timestep, callback_kwargs):
            on_step(step_index + 1, request.steps)
            return callback_kwargs

        with torch.inference_mode():
            output = self._pipe(
                prompt=request.prompt,
                negative_prompt=request.negative_prompt,
                width=request.width,
                height=request.height,
                num_inference_steps=request.steps,
                guidance_scale=guidance,
                num_images_per_prompt=request.num_images,
                generator=generators,
                callback_on_step_end=callback,
                output_type="pil",
            )
        images = output.images
        flags = getattr(output, "nsfw_content_detected", None)
        if flags is None:
            flags = self._safety.flags(images) if self._safety else [False] * len(images)
        results: List[GeneratedImage] = []
        for image, nsfw in zip(images, flags):
            if nsfw:
                results.append(GeneratedImage(data=None, format=request.output_format, nsfw=True))
                continue
            try:
                results.append(GeneratedImage(data=encode(image, request.output_format), format=request.output_format))
            except Exception as error:  # noqa: BLE001 - one bad image does not fail the batch
                results.append(GeneratedImage(data=None, format=request.output_format, error=str(error)))
        return results


def load_pipeline(settings: Settings) -> DiffusersPipeline:
    import torch  # noqa: PLC0415
    from diffusers import AutoPipelineForText2Image  # noqa: PLC0415

    device = "cuda" if torch.cuda.is_available() else "cpu"
    dtype = torch.float16 if device == "cuda" else torch.float32
    source = weights_source(settings)
    log.info("loading %s (%s, %s) on %s", source, settings.preset_name, dtype, device)
    options = {"torch_dtype": dtype, "use_safetensors": True}
    if settings.weights_variant:
        options["variant"] = settings.weights_variant
    if settings.safety_checker == "none":
        options["safety_checker"] = None
    pipe = AutoPipelineForText2Image.from_pretrained(source, **options)
    pipe.to(device)
    pipe.set_progress_bar_config(disable=True)
    safety = None
    has_own = getattr(pipe, "safety_checker", None) is not None
    if settings.safety_checker != "none" and not has_own:
        bundled = os.path.join(settings.model_dir, "safety_checker")
        checker_source = settings.safety_checker
        if checker_source == "auto":
            checker_source = bundled if os.path.isdir(bundled) else "CompVis/stable-diffusion-safety-checker"
        safety = _SafetyChecker(checker_source, device, dtype)
    return DiffusersPipeline(pipe, settings, device, safety)
