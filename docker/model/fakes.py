"""Test doubles for the container's tests: a fake pipeline, a manual clock, S3 markers and an SNS topic in memory."""

from __future__ import annotations

import threading
from typing import List, Optional

from imggen_model.inference import GeneratedImage
from imggen_model.wire import GenerationRequest, Limits

PNG = b"\x89PNG\r\n\x1a\n" + b"fake-png"


class ManualClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FakePipeline:
    """Takes `step_seconds` of the clock per step; flags the images whose index is in `nsfw`."""

    def __init__(
        self,
        clock: Optional[ManualClock] = None,
        step_seconds: float = 0.1,
        nsfw=(),
        broken=(),
        on_step_hook=None,
    ) -> None:
        self.name = "fake/model"
        self.limits = Limits()
        self.clock = clock
        self.step_seconds = step_seconds
        self.nsfw = set(nsfw)
        self.broken = set(broken)
        self.requests: List[GenerationRequest] = []
        self.steps_run = 0
        self.on_step_hook = on_step_hook

    def generate(self, request, on_step):
        self.requests.append(request)
        for step in range(1, request.steps + 1):
            if self.clock:
                self.clock.advance(self.step_seconds)
            self.steps_run = step
            if self.on_step_hook:
                self.on_step_hook(step)
            on_step(step, request.steps)
        return [
            GeneratedImage(
                data=None if index in self.nsfw or index in self.broken else PNG + bytes([index]),
                format=request.output_format,
                nsfw=index in self.nsfw,
                error="encoder failed" if index in self.broken else None,
            )
            for index in range(request.num_images)
        ]


class MemoryBucket:
    def __init__(self) -> None:
        self.objects = set()
        self.checks: List[tuple] = []
        self.fail = False
        self._lock = threading.Lock()

    def exists(self, bucket: str, key: str) -> bool:
        with self._lock:
            self.checks.append((bucket, key))
        if self.fail:
            raise OSError("S3 is down")
        return (bucket, key) in self.objects


class MemoryTopic:
    def __init__(self) -> None:
        self.messages: List[tuple] = []
        self.fail = False

    def publish(self, topic_arn: str, message: str) -> None:
        if self.fail:
            raise OSError("SNS is down")
        self.messages.append((topic_arn, message))


def request(**overrides) -> GenerationRequest:
    fields = dict(
        prompt="a lighthouse",
        width=512,
        height=512,
        steps=10,
        guidance_scale=7.0,
        seed=42,
        num_images=2,
        output_format="png",
    )
    fields.update(overrides)
    return GenerationRequest(**fields)
