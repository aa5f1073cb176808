"""The SageMaker container contract: GET /ping and POST /invocations on port 8080 (stdlib HTTP server)."""

from __future__ import annotations

import json
import logging
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Optional

from .cancel import CANCELED_STATUS, InferenceCanceled
from .inference import InferenceService, ModelHolder, ModelUnavailable
from .wire import Limits, RequestError, build_response, error_body, parse_request

log = logging.getLogger("imggen.server")

# SageMaker forwards the InferenceId of InvokeEndpoint(Async) to the container in this header.
INFERENCE_ID_HEADER = "X-Amzn-SageMaker-Inference-Id"
MAX_BODY_BYTES = 1_000_000


class ModelServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, service: InferenceService, model: ModelHolder, limits: Limits) -> None:
        super().__init__(address, _Handler)
        self.service = service
        self.model = model
        self.limits = limits


class _Handler(BaseHTTPRequestHandler):
    server: ModelServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        log.debug("%s %s", self.address_string(), format % args)

    def _answer(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: int, code: str, message: str) -> None:
        self._answer(status, error_body(code, message))

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path.split("?")[0] != "/ping":
            self._error(404, "not_found", f"no route GET {self.path}")
            return
        model = self.server.model
        state = model.state
        body = {"status": state}
        if state == "ready" and model.pipeline is not None:
            body.update(model=model.pipeline.name, loadMs=model.load_ms)
        if state == "failed":
            body["error"] = model.error
        status = {"ready": 200, "loading": 503}.get(state, 500)
        self._answer(status, json.dumps(body).encode("utf-8"))

    def do_POST(self) -> None:  # noqa: N802
        if self.path.split("?")[0] != "/invocations":
            self._error(404, "not_found", f"no route POST {self.path}")
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self._error(400, "bad_request", "invalid Content-Length")
            return
        if length > MAX_BODY_BYTES:
            self._error(413, "too_large", f"the request body exceeds {MAX_BODY_BYTES} bytes")
            self.close_connection = True
            return
        body = self.rfile.read(length)
        inference_id: Optional[str] = self.headers.get(INFERENCE_ID_HEADER)
        try:
            request = parse_request(body, self.headers.get("Content-Type"), self.server.limits)
            inference_id = inference_id or request.inference_id
            result = self.server.service.invoke(request, inference_id)
        except RequestError as error:
            self._error(error.status, error.code, error.message)
            return
        except InferenceCanceled as error:
            log.info("inference %s canceled after %d of %d steps", inference_id, error.step, error.steps)
            self._error(CANCELED_STATUS, "canceled", str(error))
            return
        except ModelUnavailable as error:
            self._error(503, "model_unavailable", str(error))
            return
        except Exception as error:  # noqa: BLE001 - the model's failure becomes a clear 500
            log.exception("inference %s failed", inference_id)
            self._error(500, "model_error", f"{type(error).__name__}: {error}")
            return
        log.info(
            "inference %s: %d image(s) %s in %d ms",
            inference_id,
            len(result.images),
            ",".join(image.outcome for image in result.images),
            result.timings.inference_ms,
        )
        self._answer(200, build_response(result))


def make_server(host: str, port: int, service: InferenceService, model: ModelHolder, limits: Limits) -> ModelServer:
    return ModelServer((host, port), service, model, limits)
