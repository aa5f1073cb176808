import base64
import json
import unittest

from imggen_model.wire import (
    GenerationResult,
    ImageResult,
    Limits,
    RequestError,
    Timings,
    build_response,
    error_body,
    parse_request,
)

VALID = {
    "prompt": "a lighthouse",
    "negativePrompt": "blurry",
    "width": 1024,
    "height": 768,
    "steps": 30,
    "guidanceScale": 7.5,
    "seed": 42,
    "numImages": 2,
    "outputFormat": "webp",
    "inferenceId": "01JD0000000000000000000000",
}


def body(**overrides) -> bytes:
    value = dict(VALID)
    value.update(overrides)
    return json.dumps({k: v for k, v in value.items() if v is not None}).encode()


class ParseRequestTest(unittest.TestCase):
    def test_parses_every_field(self):
        request = parse_request(body(), "application/json")
        self.assertEqual(request.prompt, "a lighthouse")
        self.assertEqual(request.negative_prompt, "blurry")
        self.assertEqual((request.width, request.height, request.steps, request.seed), (1024, 768, 30, 42))
        self.assertEqual(request.guidance_scale, 7.5)
        self.assertEqual(request.num_images, 2)
        self.assertEqual(request.output_format, "webp")
        self.assertEqual(request.inference_id, "01JD0000000000000000000000")

    def test_defaults_and_empty_negative_prompt(self):
        request = parse_request(body(outputFormat=None, negativePrompt="", inferenceId=None), None)
        self.assertEqual(request.output_format, "png")
        self.assertIsNone(request.negative_prompt)
        self.assertIsNone(request.inference_id)
        self.assertEqual(request.guidance_scale, 7.5)
        self.assertEqual(parse_request(body(guidanceScale=0), None).guidance_scale, 0.0)

    def test_names_every_bad_field(self):
        with self.assertRaises(RequestError) as caught:
            parse_request(body(prompt=" ", width=1001, steps=0, numImages=9, guidanceScale=True, outputFormat="gif"), None)
        message = caught.exception.message
        for expected in (
            "prompt: must be a non-empty string",
            "width: must be a multiple of 8",
            "steps: must be between 1 and 150",
            "numImages: must be between 1 and 8",
            "guidanceScale: must be a number between 0 and 35",
            "outputFormat: must be one of png, jpeg, webp",
        ):
            self.assertIn(expected, message)
        self.assertEqual(caught.exception.status, 400)

    def test_applies_the_configured_limits(self):
        with self.assertRaises(RequestError) as caught:
            parse_request(body(steps=5), None, Limits(max_steps=4))
        self.assertIn("steps: must be between 1 and 4", caught.exception.message)

    def test_refuses_what_is_not_a_json_object(self):
        for raw, message in ((b"{", "not valid JSON"), (b"[1]", "must be a JSON object"), (b"\xff", "not valid JSON")):
            with self.assertRaises(RequestError) as caught:
                parse_request(raw, "application/json")
            self.assertIn(message, caught.exception.message)

    def test_refuses_another_content_type_with_415(self):
        with self.assertRaises(RequestError) as caught:
            parse_request(body(), "text/csv")
        self.assertEqual(caught.exception.status, 415)
        parse_request(body(), "application/json; charset=utf-8")


class BuildResponseTest(unittest.TestCase):
    def test_one_entry_per_image_with_its_outcome(self):
        result = GenerationResult(
            images=[
                ImageResult(outcome="ok", seed=42, data=b"\x89PNG", format="png"),
                ImageResult(outcome="filtered", seed=43, message="flagged"),
                ImageResult(outcome="failed", seed=44),
            ],
            seed=42,
            model="fake/model",
            timings=Timings(load_ms=5, queue_ms=6, inference_ms=700),
        )
        decoded = json.loads(build_response(result))
        self.assertEqual(
            decoded,
            {
                "images": [
                    {"outcome": "ok", "seed": 42, "base64": base64.b64encode(b"\x89PNG").decode(), "format": "png"},
                    {"outcome": "filtered", "seed": 43, "message": "flagged"},
                    {"outcome": "failed", "seed": 44},
                ],
                "seed": 42,
                "model": "fake/model",
                "timings": {"loadMs": 5, "queueMs": 6, "inferenceMs": 700},
            },
        )

    def test_refuses_an_unknown_outcome(self):
        with self.assertRaises(ValueError):
            build_response(GenerationResult(images=[ImageResult(outcome="maybe", seed=1)], seed=1, model="m"))

    def test_error_body(self):
        self.assertEqual(json.loads(error_body("canceled", "stop")), {"error": {"code": "canceled", "message": "stop"}})


if __name__ == "__main__":
    unittest.main()
