"""One invocation: wait for the model, take the GPU, check the cancel marker, run the pipeline as one batch."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Callable, List, Optional, Protocol

from .cancel import CancelWatch, InferenceCanceled, stop_check
from .progress import NO_PROGRESS, ProgressReporter
from .wire import GenerationRequest, GenerationResult, ImageResult, Limits, Timings

log = logging.getLogger("imggen.inference")

StepCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class GeneratedImage:
    """What a pipeline made of one image: the encoded bytes, and whether the safety checker flagged it."""

    data: Optional[bytes]
    format: str
    nsfw: bool = False
    error: Optional[str] = None


class Pipeline(Protocol):
    """The model, loaded: diffusers in the container, a fake in the tests."""

    name: str
    limits: Limits

    def generate(self, request: GenerationRequest, on_step: StepCallback) -> List[GeneratedImage]:
        """Renders request.num_images images in one batch; calls on_step(step, total) after each step."""


class ModelUnavailable(Exception):
    pass


class ModelHolder:
    """Loads the model once, in the background, and hands it out when ready."""

    def __init__(self, loader: Callable[[], Pipeline], clock: Callable[[], float] = time.monotonic) -> None:
        self._loader = loader
        self._clock = clock
        self._ready = threading.Event()
        self._pipeline: Optional[Pipeline] = None
        self._error: Optional[str] = None
        self.load_ms: Optional[int] = None
        self._started = False
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._load, name="model-loader", daemon=True).start()

    def _load(self) -> None:
        started = self._clock()
        try:
            self._pipeline = self._loader()
            log.info("model %s loaded", self._pipeline.name)
        except Exception as error:  # noqa: BLE001 - reported by /ping and every invocation
            log.exception("the model could not be loaded")
            self._error = f"{type(error).__name__}: {error}"
        finally:
            self.load_ms = round((self._clock() - started) * 1000)
            self._ready.set()

    @property
    def state(self) -> str:
        if not self._ready.is_set():
            return "loading"
        return "failed" if self._error else "ready"

    @property
    def error(self) -> Optional[str]:
        return self._error

    @property
    def pipeline(self) -> Optional[Pipeline]:
        return self._pipeline

    def wait(self, timeout_s: Optional[float] = None) -> Pipeline:
        self.start()
        if not self._ready.wait(timeout_s):
            raise ModelUnavailable("the model is still loading")
        if self._pipeline is None:
            raise ModelUnavailable(f"the model could not be loaded: {self._error}")
        return self._pipeline


class InferenceService:
    def __init__(
        self,
        model: ModelHolder,
        cancel: Optional[CancelWatch] = None,
        progress: Optional[ProgressReporter] = None,
        clock: Callable[[], float] = time.monotonic,
        load_timeout_s: Optional[float] = None,
    ) -> None:
        self._model = model
        self._cancel = cancel
        self._progress = progress
        self._clock = clock
        self._load_timeout_s = load_timeout_s
        # one batch at a time on the GPU; SageMaker may send several invocations at once
        self._gpu = threading.Lock()

    def invoke(self, request: GenerationRequest, inference_id: Optional[str]) -> GenerationResult:
        received = self._clock()
        pipeline = self._model.wait(self._load_timeout_s)
        loaded = self._clock()
        with self._gpu:
            started = self._clock()
            should_stop = stop_check(self._cancel, inference_id)
            if should_stop():
                raise InferenceCanceled(0, request.steps)
            sink = self._progress.for_inference(inference_id) if self._progress else NO_PROGRESS
            sink.started(request.steps)

            def on_step(step: int, total: int) -> None:
                sink.step(step, total)
                if step < total and should_stop():
                    raise InferenceCanceled(step, total)

            generated = pipeline.generate(request, on_step)
            finished = self._clock()
        if len(generated) != request.num_images:
            raise RuntimeError(f"the pipeline returned {len(generated)} images for {request.num_images}")
        return GenerationResult(
            images=[self._result(image, request.seed + index) for index, image in enumerate(generated)],
            seed=request.seed,
            model=pipeline.name,
            timings=Timings(
                load_ms=round((loaded - received) * 1000),
                queue_ms=round((started - loaded) * 1000),
                inference_ms=round((finished - started) * 1000),
            ),
        )

    @staticmethod
    def _result(image: GeneratedImage, seed: int) -> ImageResult:
        if image.nsfw:
            return ImageResult(outcome="filtered", seed=seed, message="the safety checker flagged the image")
        if image.error or not image.data:
            return ImageResult(outcome="failed", seed=seed, message=image.error or "no image data")
        return ImageResult(outcome="ok", seed=seed, data=image.data, format=image.format)
