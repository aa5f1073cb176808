"""Progress for the platform: `started` once, then steps (at most one per interval) to an SNS topic.

The message is libs/contracts progress-message.ts: {"type": "imggen.progress", "inferenceId", "event":
"started"|"step", "at", "step", "totalSteps"}. Progress is advisory: a failed publish is logged, never raised.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from datetime import datetime, timezone
from typing import Callable, Optional

log = logging.getLogger("imggen.progress")

Publish = Callable[[str, str], None]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class ProgressSink:
    def started(self, total_steps: int) -> None:  # pragma: no cover - interface
        pass

    def step(self, step: int, total_steps: int) -> None:  # pragma: no cover - interface
        pass


NO_PROGRESS = ProgressSink()


class _TopicSink(ProgressSink):
    def __init__(self, reporter: "ProgressReporter", inference_id: str) -> None:
        self._reporter = reporter
        self._inference_id = inference_id
        self._last_sent: Optional[float] = None
        self._last_step = 0

    def started(self, total_steps: int) -> None:
        self._last_sent = self._reporter.clock()
        self._reporter.send(self._inference_id, "started", 0, total_steps)

    def step(self, step: int, total_steps: int) -> None:
        # the last step is left out: the result notification follows at once
        if step <= self._last_step or step >= total_steps:
            return
        now = self._reporter.clock()
        if self._last_sent is not None and now - self._last_sent < self._reporter.interval_s:
            return
        self._last_sent = now
        self._last_step = step
        self._reporter.send(self._inference_id, "step", step, total_steps)


class ProgressReporter:
    def __init__(
        self,
        publish: Publish,
        topic_arn: str,
        interval_s: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], datetime] = utc_now,
    ) -> None:
        self._publish = publish
        self.topic_arn = topic_arn
        self.interval_s = interval_s
        self.clock = clock
        self._wall = wall

    def for_inference(self, inference_id: Optional[str]) -> ProgressSink:
        return _TopicSink(self, inference_id) if inference_id else NO_PROGRESS

    def send(self, inference_id: str, event: str, step: int, total_steps: int) -> None:
        message = {
            "type": "imggen.progress",
            "inferenceId": inference_id,
            "event": event,
            "at": self._wall().isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "step": step,
            "totalSteps": total_steps,
        }
        try:
            self._publish(self.topic_arn, json.dumps(message))
        except Exception as error:  # noqa: BLE001 - progress must never fail an inference
            log.warning("could not publish progress of %s: %s", inference_id, error)


class BackgroundPublisher:
    """Publishes from a thread of its own, so an SNS round trip never slows the denoising loop."""

    def __init__(self, publish: Publish, capacity: int = 1000) -> None:
        self._publish = publish
        self._queue: "queue.Queue" = queue.Queue(maxsize=capacity)
        self._thread = threading.Thread(target=self._run, name="progress-publisher", daemon=True)
        self._thread.start()

    def __call__(self, topic_arn: str, message: str) -> None:
        try:
            self._queue.put_nowait((topic_arn, message))
        except queue.Full:
            log.warning("progress queue full; a progress message was dropped")

    def _run(self) -> None:
        while True:
            topic_arn, message = self._queue.get()
            try:
                self._publish(topic_arn, message)
            except Exception as error:  # noqa: BLE001
                log.warning("could not publish progress: %s", error)
