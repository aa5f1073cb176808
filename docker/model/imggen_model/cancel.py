"""Cancel markers: SageMaker async has no cancel call, so the platform leaves `cancel/<inferenceId>` in S3.

The container looks for it before it starts an invocation and between denoising steps, and stops with an error
whose message carries CANCELLATION_TOKEN (libs/contracts cancellation.ts): SageMaker quotes that message in the
error notification's failureReason, which is how the worker recognises a cancel.
"""

from __future__ import annotations

import logging
import time
from typing import Callable, Optional, Tuple

CANCELLATION_TOKEN = "imggen:inference-canceled"
CANCELED_STATUS = 409

log = logging.getLogger("imggen.cancel")


def canceled_message(step: int, steps: int) -> str:
    when = "before it started" if step == 0 else f"after {step} of {steps} steps"
    return f"Inference canceled {when}: the platform left a cancel marker ({CANCELLATION_TOKEN})"


class InferenceCanceled(Exception):
    def __init__(self, step: int, steps: int) -> None:
        super().__init__(canceled_message(step, steps))
        self.step = step
        self.steps = steps


def parse_s3_uri(uri: str) -> Tuple[str, str]:
    """`s3://bucket/cancel/` → ("bucket", "cancel/"); raises ValueError for anything else."""
    if not uri.startswith("s3://"):
        raise ValueError(f"not an s3:// URI: {uri}")
    bucket, _, prefix = uri[len("s3://"):].partition("/")
    if not bucket:
        raise ValueError(f"no bucket in {uri}")
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    return bucket, prefix


ObjectExists = Callable[[str, str], bool]
StopCheck = Callable[[], bool]


class CancelWatch:
    """Asks S3 whether an inference's marker exists, at most once per interval for a running invocation."""

    def __init__(
        self,
        marker_uri: str,
        exists: ObjectExists,
        interval_s: float = 0.25,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.bucket, self.prefix = parse_s3_uri(marker_uri)
        self._exists = exists
        self._interval_s = interval_s
        self._clock = clock

    def is_canceled(self, inference_id: str) -> bool:
        """A failed check counts as "not canceled": the job then just runs on."""
        try:
            return bool(self._exists(self.bucket, f"{self.prefix}{inference_id}"))
        except Exception as error:  # noqa: BLE001 - any S3 trouble must not fail the inference
            log.warning("could not check the cancel marker of %s: %s", inference_id, error)
            return False

    def stop_check_for(self, inference_id: str) -> StopCheck:
        last: list = [None]

        def should_stop() -> bool:
            now = self._clock()
            if last[0] is not None and now - last[0] < self._interval_s:
                return False
            last[0] = now
            return self.is_canceled(inference_id)

        return should_stop


def never_stop() -> bool:
    return False


def stop_check(watch: Optional[CancelWatch], inference_id: Optional[str]) -> StopCheck:
    return watch.stop_check_for(inference_id) if watch is not None and inference_id else never_stop
