import base64
import http.client
import json
import threading
import unittest

from fakes import PNG, FakePipeline, MemoryBucket, MemoryTopic
from imggen_model.cancel import CANCELLATION_TOKEN, CancelWatch
from imggen_model.inference import InferenceService, ModelHolder
from imggen_model.progress import ProgressReporter
from imggen_model.server import make_server
from imggen_model.wire import Limits

TOPIC = "arn:aws:sns:us-east-1:000000000000:imggen-progress"
# the header SageMaker forwards the InvokeEndpoint(Async) InferenceId in (as the SageMaker SDK's local mode sends it)
INFERENCE_ID_HEADER = "X-Amzn-SageMaker-Inference-Id"
BODY = {"prompt": "a lighthouse", "width": 512, "height": 512, "steps": 4, "guidanceScale": 0, "seed": 7, "numImages": 2}


class RunningServer:
    """The container's real HTTP server on a free port of 127.0.0.1, around a fake pipeline."""

    def __init__(self, loader, limits=Limits(max_steps=50)):
        self.bucket = MemoryBucket()
        self.topic = MemoryTopic()
        self.model = ModelHolder(loader)
        cancel = CancelWatch("s3://imggen-requests/cancel/", self.bucket.exists, 0)
        progress = ProgressReporter(self.topic.publish, TOPIC, 0.1)
        service = InferenceService(self.model, cancel, progress, load_timeout_s=5)
        self.server = make_server("127.0.0.1", 0, service, self.model, limits)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            payload = json.dumps(body).encode() if isinstance(body, dict) else body
            connection.request(method, path, body=payload, headers=headers or {})
            response = connection.getresponse()
            raw = response.read()
            return response.status, response.getheader("Content-Type"), json.loads(raw) if raw else None
        finally:
            connection.close()

    def invoke(self, body=BODY, headers=None):
        return self.request("POST", "/invocations", body, {"Content-Type": "application/json", **(headers or {})})

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class ServerTest(unittest.TestCase):
    def setUp(self):
        self.pipeline = FakePipeline(nsfw={1})
        self.running = RunningServer(lambda: self.pipeline)
        self.running.model.start()
        self.running.model.wait(5)

    def tearDown(self):
        self.running.stop()

    def test_ping_answers_200_once_the_model_is_loaded(self):
        status, content_type, body = self.running.request("GET", "/ping")
        self.assertEqual((status, content_type), (200, "application/json"))
        self.assertEqual(body["status"], "ready")
        self.assertEqual(body["model"], "fake/model")
        self.assertIsInstance(body["loadMs"], int)

    def test_invocations_answers_the_imggen_format(self):
        status, content_type, body = self.running.invoke(headers={INFERENCE_ID_HEADER: "job-1"})
        self.assertEqual((status, content_type), (200, "application/json"))
        self.assertEqual(
            body["images"],
            [
                {"outcome": "ok", "seed": 7, "base64": base64.b64encode(PNG + b"\x00").decode(), "format": "png"},
                {"outcome": "filtered", "seed": 8, "message": "the safety checker flagged the image"},
            ],
        )
        self.assertEqual((body["seed"], body["model"]), (7, "fake/model"))
        self.assertEqual(sorted(body["timings"]), ["inferenceMs", "loadMs", "queueMs"])
        self.assertEqual(self.pipeline.requests[0].num_images, 2)
        self.assertEqual(self.pipeline.requests[0].guidance_scale, 0.0)

    def test_publishes_started_for_the_inference_id_of_the_header(self):
        self.running.invoke(headers={INFERENCE_ID_HEADER: "job-2"})
        first = json.loads(self.running.topic.messages[0][1])
        self.assertEqual((first["event"], first["inferenceId"], first["totalSteps"]), ("started", "job-2", 4))

    def test_answers_409_with_the_cancellation_token_when_the_marker_is_there(self):
        self.running.bucket.objects.add(("imggen-requests", "cancel/job-3"))
        status, _, body = self.running.invoke(headers={INFERENCE_ID_HEADER: "job-3"})
        self.assertEqual(status, 409)
        self.assertEqual(body["error"]["code"], "canceled")
        self.assertIn(CANCELLATION_TOKEN, body["error"]["message"])
        self.assertEqual(self.pipeline.requests, [])

    def test_takes_the_inference_id_from_the_body_without_the_header(self):
        self.running.bucket.objects.add(("imggen-requests", "cancel/job-4"))
        status, _, _ = self.running.invoke({**BODY, "inferenceId": "job-4"})
        self.assertEqual(status, 409)
        self.assertIn(("imggen-requests", "cancel/job-4"), self.running.bucket.checks)

    def test_answers_400_naming_the_bad_fields(self):
        status, _, body = self.running.invoke({**BODY, "steps": 51, "prompt": ""})
        self.assertEqual(status, 400)
        self.assertEqual(body["error"]["code"], "bad_request")
        self.assertIn("steps: must be between 1 and 50", body["error"]["message"])
        self.assertIn("prompt: must be a non-empty string", body["error"]["message"])

    def test_answers_415_for_another_content_type(self):
        status, _, body = self.running.request("POST", "/invocations", b"a,b", {"Content-Type": "text/csv"})
        self.assertEqual((status, body["error"]["code"]), (415, "unsupported_media_type"))

    def test_answers_404_for_other_routes(self):
        self.assertEqual(self.running.request("GET", "/invocations")[0], 404)
        self.assertEqual(self.running.request("POST", "/ping", b"{}")[0], 404)

    def test_answers_500_with_the_reason_when_the_model_fails(self):
        def broken(request, on_step):
            raise RuntimeError("CUDA out of memory")

        self.pipeline.generate = broken
        with self.assertLogs("imggen.server", "ERROR"):
            status, _, body = self.running.invoke()
        self.assertEqual(status, 500)
        self.assertEqual(body["error"], {"code": "model_error", "message": "RuntimeError: CUDA out of memory"})

    def test_serves_several_requests_on_one_connection(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.running.port, timeout=10)
        try:
            for _ in range(2):
                connection.request("GET", "/ping")
                response = connection.getresponse()
                response.read()
                self.assertEqual(response.status, 200)
        finally:
            connection.close()


class LoadingServerTest(unittest.TestCase):
    def test_ping_answers_503_while_loading_and_500_when_the_load_failed(self):
        gate = threading.Event()

        def load():
            gate.wait(5)
            raise OSError("model_index.json not found in /opt/ml/model")

        running = RunningServer(load)
        try:
            running.model.start()
            status, _, body = running.request("GET", "/ping")
            self.assertEqual((status, body["status"]), (503, "loading"))
            with self.assertLogs("imggen.inference", "ERROR"):
                gate.set()
                running.model._ready.wait(5)
            status, _, body = running.request("GET", "/ping")
            self.assertEqual((status, body["status"]), (500, "failed"))
            self.assertIn("model_index.json not found", body["error"])
            status, _, body = running.invoke()
            self.assertEqual((status, body["error"]["code"]), (503, "model_unavailable"))
        finally:
            running.stop()


if __name__ == "__main__":
    unittest.main()
