import json
import threading
import unittest
from datetime import datetime, timezone

from fakes import PNG, FakePipeline, ManualClock, MemoryBucket, MemoryTopic, request
from imggen_model.cancel import CANCELLATION_TOKEN, CancelWatch, InferenceCanceled
from imggen_model.inference import InferenceService, ModelHolder, ModelUnavailable
from imggen_model.progress import ProgressReporter

MARKERS = "s3://imggen-requests/cancel/"
TOPIC = "arn:aws:sns:us-east-1:000000000000:imggen-progress"


def loaded(pipeline) -> ModelHolder:
    holder = ModelHolder(lambda: pipeline)
    holder.start()
    holder.wait(5)
    return holder


class Harness:
    def __init__(self, interval_s=0.25, progress_interval_s=0.5, **pipeline_options):
        self.clock = ManualClock()
        self.pipeline = FakePipeline(self.clock, **pipeline_options)
        self.bucket = MemoryBucket()
        self.topic = MemoryTopic()
        self.cancel = CancelWatch(MARKERS, self.bucket.exists, interval_s, self.clock)
        self.progress = ProgressReporter(
            self.topic.publish,
            TOPIC,
            progress_interval_s,
            self.clock,
            lambda: datetime(2026, 11, 27, 4, 0, tzinfo=timezone.utc),
        )
        self.service = InferenceService(loaded(self.pipeline), self.cancel, self.progress, self.clock)

    def messages(self):
        return [json.loads(message) for _, message in self.topic.messages]


class OutcomeTest(unittest.TestCase):
    def test_renders_the_batch_in_one_call_with_per_image_outcomes_and_seeds(self):
        harness = Harness(nsfw={1}, broken={2})
        result = harness.service.invoke(request(num_images=4, seed=100), "job-1")
        self.assertEqual(len(harness.pipeline.requests), 1)
        self.assertEqual([image.outcome for image in result.images], ["ok", "filtered", "failed", "ok"])
        self.assertEqual([image.seed for image in result.images], [100, 101, 102, 103])
        self.assertEqual(result.images[0].data, PNG + bytes([0]))
        self.assertIsNone(result.images[1].data)
        self.assertEqual(result.images[2].message, "encoder failed")
        self.assertEqual((result.seed, result.model), (100, "fake/model"))

    def test_reports_the_inference_time_of_the_steps(self):
        harness = Harness(step_seconds=0.2)
        result = harness.service.invoke(request(steps=10), None)
        self.assertEqual(result.timings.inference_ms, 2000)
        self.assertEqual((result.timings.load_ms, result.timings.queue_ms), (0, 0))

    def test_a_second_invocation_queues_behind_the_first(self):
        release = threading.Event()
        entered = threading.Event()

        def hold(step):
            if step == 1:
                entered.set()
                release.wait(5)

        clock = ManualClock()
        pipeline = FakePipeline(clock, step_seconds=0, on_step_hook=hold)
        service = InferenceService(loaded(pipeline), clock=clock)
        results = {}
        first = threading.Thread(target=lambda: results.setdefault("first", service.invoke(request(steps=1), "a")))
        first.start()
        self.assertTrue(entered.wait(5))
        second = threading.Thread(target=lambda: results.setdefault("second", service.invoke(request(steps=2), "b")))
        second.start()
        clock.advance(1.5)  # the second waits for the GPU while the first holds it
        entered.clear()
        release.set()
        first.join(5)
        second.join(5)
        self.assertEqual(results["second"].timings.queue_ms, 1500)

    def test_waits_for_the_model_and_reports_the_wait_as_load_time(self):
        clock = ManualClock()
        gate = threading.Event()
        pipeline = FakePipeline(clock, step_seconds=0)

        def load():
            gate.wait(5)
            return pipeline

        holder = ModelHolder(load, clock)
        service = InferenceService(holder, clock=clock)
        results = {}
        worker = threading.Thread(target=lambda: results.setdefault("r", service.invoke(request(steps=1), None)))
        worker.start()
        clock.advance(3)
        gate.set()
        worker.join(5)
        self.assertEqual(results["r"].timings.load_ms, 3000)
        self.assertEqual(holder.state, "ready")

    def test_a_model_that_cannot_load_makes_every_invocation_unavailable(self):
        def load():
            raise OSError("no weights in /opt/ml/model")

        holder = ModelHolder(load)
        service = InferenceService(holder)
        with self.assertLogs("imggen.inference", "ERROR"), self.assertRaises(ModelUnavailable) as caught:
            service.invoke(request(), None)
        self.assertIn("no weights in /opt/ml/model", str(caught.exception))
        self.assertEqual(holder.state, "failed")


class CancelTest(unittest.TestCase):
    def test_stops_before_starting_when_the_marker_is_there(self):
        harness = Harness()
        harness.bucket.objects.add(("imggen-requests", "cancel/job-1"))
        with self.assertRaises(InferenceCanceled) as caught:
            harness.service.invoke(request(), "job-1")
        self.assertEqual(harness.pipeline.requests, [])
        self.assertEqual(str(caught.exception), f"Inference canceled before it started: the platform left a cancel marker ({CANCELLATION_TOKEN})")
        self.assertEqual(harness.messages(), [])

    def test_stops_between_steps_once_the_marker_appears(self):
        harness = Harness(interval_s=0.25, step_seconds=0.1)

        def place_marker(step):
            if step == 3:
                harness.bucket.objects.add(("imggen-requests", "cancel/job-2"))

        harness.pipeline.on_step_hook = place_marker
        with self.assertRaises(InferenceCanceled) as caught:
            harness.service.invoke(request(steps=30), "job-2")
        # checks at t=0 (before), then at most every 0.25 s: steps 3 (t=0.3) sees the marker
        self.assertEqual(harness.pipeline.steps_run, 3)
        self.assertEqual((caught.exception.step, caught.exception.steps), (3, 30))
        self.assertIn("after 3 of 30 steps", str(caught.exception))
        self.assertIn(CANCELLATION_TOKEN, str(caught.exception))

    def test_checks_at_most_once_per_interval(self):
        harness = Harness(interval_s=0.25, step_seconds=0.1)
        harness.service.invoke(request(steps=10), "job-3")
        # t = 0 (before start), then steps at t=0.3, 0.6, 0.9 (step 10, the last, is not checked)
        self.assertEqual(len(harness.bucket.checks), 4)
        self.assertTrue(all(check == ("imggen-requests", "cancel/job-3") for check in harness.bucket.checks))

    def test_a_failing_check_lets_the_job_run_on(self):
        harness = Harness()
        harness.bucket.fail = True
        with self.assertLogs("imggen.cancel", "WARNING"):
            result = harness.service.invoke(request(steps=3), "job-4")
        self.assertEqual(len(result.images), 2)

    def test_without_an_inference_id_nothing_is_checked(self):
        harness = Harness()
        harness.service.invoke(request(steps=3), None)
        self.assertEqual(harness.bucket.checks, [])


class ProgressTest(unittest.TestCase):
    def test_publishes_started_then_throttled_steps(self):
        harness = Harness(progress_interval_s=0.5, step_seconds=0.125)
        harness.service.invoke(request(steps=20), "job-5")
        messages = harness.messages()
        self.assertEqual(messages[0], {
            "type": "imggen.progress",
            "inferenceId": "job-5",
            "event": "started",
            "at": "2026-11-27T04:00:00.000Z",
            "step": 0,
            "totalSteps": 20,
        })
        steps = [message["step"] for message in messages[1:]]
        # one step message per 0.5 s at most (4 steps of 0.125 s), never the last step (20)
        self.assertEqual(steps, [4, 8, 12, 16])
        self.assertTrue(all(message["event"] == "step" and message["totalSteps"] == 20 for message in messages[1:]))
        self.assertTrue(all(topic == TOPIC for topic, _ in harness.topic.messages))

    def test_a_failing_publish_never_fails_the_inference(self):
        harness = Harness()
        harness.topic.fail = True
        with self.assertLogs("imggen.progress", "WARNING"):
            result = harness.service.invoke(request(steps=10), "job-6")
        self.assertEqual([image.outcome for image in result.images], ["ok", "ok"])

    def test_nothing_is_published_without_an_inference_id(self):
        harness = Harness()
        harness.service.invoke(request(steps=10), None)
        self.assertEqual(harness.messages(), [])


if __name__ == "__main__":
    unittest.main()
