"""`serve`: wires the settings, the model, cancel and progress, and serves until SIGTERM."""

from __future__ import annotations

import logging
import signal
import sys
import threading

from .cancel import CancelWatch
from .config import ConfigError, Settings, load_settings
from .inference import InferenceService, ModelHolder
from .progress import BackgroundPublisher, ProgressReporter
from .server import make_server


def build(settings: Settings):
    from .diffusers_pipeline import load_pipeline  # noqa: PLC0415 - torch only when serving

    model = ModelHolder(lambda: load_pipeline(settings))
    cancel = None
    if settings.cancel_s3_uri:
        from .aws import s3_object_exists  # noqa: PLC0415

        cancel = CancelWatch(settings.cancel_s3_uri, s3_object_exists(), settings.cancel_interval_s)
    progress = None
    if settings.progress_topic_arn:
        from .aws import sns_publisher  # noqa: PLC0415

        progress = ProgressReporter(
            BackgroundPublisher(sns_publisher()), settings.progress_topic_arn, settings.progress_interval_s
        )
    service = InferenceService(model, cancel, progress)
    return model, make_server(settings.host, settings.port, service, model, settings.limits)


def main(argv: list) -> int:
    if argv and argv[0] not in ("serve",):
        print(f"usage: serve (got {' '.join(argv)})", file=sys.stderr)
        return 2
    try:
        settings = load_settings()
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    model, server = build(settings)
    model.start()
    stop = threading.Event()

    def on_signal(signum, _frame) -> None:
        logging.getLogger("imggen").info("signal %d: stopping", signum)
        stop.set()
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    logging.getLogger("imggen").info(
        "serving %s (%s) on %s:%d", settings.model_id, settings.preset_name, settings.host, settings.port
    )
    server.serve_forever()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
