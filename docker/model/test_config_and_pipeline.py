import contextlib
import os
import sys
import tempfile
import types
import unittest
import unittest.mock

from imggen_model import main as entry
from imggen_model.config import ConfigError, load_settings
from imggen_model.diffusers_pipeline import DiffusersPipeline, load_pipeline, weights_source
from fakes import request


class SettingsTest(unittest.TestCase):
    def test_defaults_to_sdxl_on_port_8080_from_opt_ml_model(self):
        settings = load_settings({})
        self.assertEqual((settings.preset_name, settings.port, settings.model_dir), ("sdxl", 8080, "/opt/ml/model"))
        self.assertEqual(settings.model_id, "stabilityai/stable-diffusion-xl-base-1.0")
        self.assertIsNone(settings.cancel_s3_uri)
        self.assertIsNone(settings.progress_topic_arn)

    def test_the_distilled_preset_allows_1_to_4_steps_without_guidance(self):
        settings = load_settings({"IMGGEN_MODEL_PRESET": "sdxl-turbo"})
        self.assertEqual(settings.model_id, "stabilityai/sdxl-turbo")
        self.assertEqual(settings.limits.max_steps, 4)
        self.assertEqual(settings.preset.force_guidance_scale, 0.0)

    def test_takes_the_model_id_cancel_and_progress_from_the_environment(self):
        settings = load_settings(
            {
                "IMGGEN_MODEL_ID": "my-org/my-sdxl",
                "IMGGEN_CANCEL_S3_URI": "s3://imggen-requests/cancel",
                "IMGGEN_PROGRESS_TOPIC_ARN": "arn:aws:sns:us-east-1:1:imggen-progress",
                "IMGGEN_PROGRESS_INTERVAL_MS": "250",
                "SAGEMAKER_BIND_TO_PORT": "9000",
            }
        )
        self.assertEqual(settings.model_id, "my-org/my-sdxl")
        self.assertEqual(settings.cancel_s3_uri, "s3://imggen-requests/cancel")
        self.assertEqual(settings.progress_interval_s, 0.25)
        self.assertEqual(settings.port, 9000)

    def test_names_every_bad_variable(self):
        with self.assertRaises(ConfigError) as caught:
            load_settings(
                {
                    "IMGGEN_MODEL_PRESET": "sd9",
                    "IMGGEN_CANCEL_S3_URI": "http://x/cancel/",
                    "IMGGEN_PROGRESS_TOPIC_ARN": "topic",
                    "IMGGEN_MAX_IMAGES": "many",
                }
            )
        message = str(caught.exception)
        for name in ("IMGGEN_MODEL_PRESET", "IMGGEN_CANCEL_S3_URI", "IMGGEN_PROGRESS_TOPIC_ARN", "IMGGEN_MAX_IMAGES"):
            self.assertIn(name, message)

    def test_serve_stops_with_status_2_on_a_bad_configuration(self):
        with unittest.mock.patch.dict(os.environ, {"IMGGEN_MODEL_PRESET": "nope"}):
            with open(os.devnull, "w") as sink, contextlib.redirect_stderr(sink):
                self.assertEqual(entry.main(["serve"]), 2)

    def test_weights_come_from_the_model_dir_when_it_holds_a_diffusers_folder(self):
        with tempfile.TemporaryDirectory() as folder:
            settings = load_settings({"IMGGEN_MODEL_DIR": folder})
            self.assertEqual(weights_source(settings), "stabilityai/stable-diffusion-xl-base-1.0")
            open(os.path.join(folder, "model_index.json"), "w").close()
            self.assertEqual(weights_source(settings), folder)


class FakeImage:
    def __init__(self, label):
        self.label = label

    def convert(self, _mode):
        return self

    def save(self, buffer, format, **_options):  # noqa: A002 - PIL's name
        buffer.write(f"{format}:{self.label}".encode())


class FakeGenerator:
    def __init__(self, device):
        self.device = device
        self.seed = None

    def manual_seed(self, seed):
        self.seed = seed
        return self


class DiffusersPipelineTest(unittest.TestCase):
    """The real generate() against a stand-in for torch and a diffusers pipeline (neither is installed here)."""

    def setUp(self):
        fake_torch = types.ModuleType("torch")
        fake_torch.Generator = FakeGenerator
        fake_torch.inference_mode = contextlib.nullcontext
        self._saved = sys.modules.get("torch")
        sys.modules["torch"] = fake_torch
        self.calls = []

    def tearDown(self):
        if self._saved is None:
            sys.modules.pop("torch", None)
        else:
            sys.modules["torch"] = self._saved

    def pipe(self, nsfw):
        def call(**kwargs):
            self.calls.append(kwargs)
            for index in range(kwargs["num_inference_steps"]):
                kwargs["callback_on_step_end"](None, index, 999 - index, {"latents": None})
            images = [FakeImage(i) for i in range(kwargs["num_images_per_prompt"])]
            return types.SimpleNamespace(images=images, nsfw_content_detected=nsfw)

        return call

    def test_one_batch_one_generator_per_image_steps_reported_and_flags_kept(self):
        settings = load_settings({})
        pipeline = DiffusersPipeline(self.pipe([False, True]), settings, "cuda", None)
        steps = []
        images = pipeline.generate(request(num_images=2, steps=3, seed=10, output_format="webp"), lambda s, t: steps.append((s, t)))
        call = self.calls[0]
        self.assertEqual(call["num_images_per_prompt"], 2)
        self.assertEqual([g.seed for g in call["generator"]], [10, 11])
        self.assertEqual(call["guidance_scale"], 7.0)
        self.assertEqual(steps, [(1, 3), (2, 3), (3, 3)])
        self.assertEqual(images[0].data, b"WEBP:0")
        self.assertEqual((images[1].nsfw, images[1].data), (True, None))

    def test_the_distilled_preset_forces_guidance_off(self):
        settings = load_settings({"IMGGEN_MODEL_PRESET": "sdxl-turbo"})
        pipeline = DiffusersPipeline(self.pipe(None), settings, "cuda", None)
        images = pipeline.generate(request(num_images=1, steps=1, guidance_scale=7.0), lambda s, t: None)
        self.assertEqual(self.calls[0]["guidance_scale"], 0.0)
        self.assertEqual((images[0].nsfw, images[0].data), (False, b"PNG:0"))

    def test_uses_the_separate_safety_checker_when_the_pipeline_has_none(self):
        class Checker:
            def flags(self, images):
                return [image.label == 0 for image in images]

        pipeline = DiffusersPipeline(self.pipe(None), load_settings({}), "cuda", Checker())
        images = pipeline.generate(request(num_images=2, steps=1), lambda s, t: None)
        self.assertEqual([image.nsfw for image in images], [True, False])


class FakeDiffusersPipe:
    def __init__(self, source, options):
        self.source = source
        self.options = options
        self.device = None
        self.progress_bar = None
        # SD 1.x/2.x pipelines bring their own checker; SDXL's has none
        self.safety_checker = options.get("safety_checker", "own")

    def to(self, device):
        self.device = device
        return self

    def set_progress_bar_config(self, **options):
        self.progress_bar = options


class LoadPipelineTest(unittest.TestCase):
    """load_pipeline() against stand-ins for torch and diffusers: fp16 on a GPU, the weights from the model dir."""

    def load(self, env, cuda):
        fake_torch = types.ModuleType("torch")
        fake_torch.float16 = "float16"
        fake_torch.float32 = "float32"
        fake_torch.cuda = types.SimpleNamespace(is_available=lambda: cuda)
        fake_diffusers = types.ModuleType("diffusers")
        fake_diffusers.AutoPipelineForText2Image = types.SimpleNamespace(
            from_pretrained=lambda source, **options: FakeDiffusersPipe(source, options)
        )
        with unittest.mock.patch.dict(sys.modules, {"torch": fake_torch, "diffusers": fake_diffusers}):
            with self.assertLogs("imggen.diffusers", "INFO"):
                return load_pipeline(load_settings(env))

    def test_loads_fp16_weights_onto_the_gpu(self):
        pipeline = self.load({"IMGGEN_WEIGHTS_VARIANT": "fp16"}, cuda=True)
        pipe = pipeline._pipe
        self.assertEqual(pipe.source, "stabilityai/stable-diffusion-xl-base-1.0")
        self.assertEqual(pipe.options, {"torch_dtype": "float16", "use_safetensors": True, "variant": "fp16"})
        self.assertEqual(pipe.device, "cuda")
        self.assertEqual(pipe.progress_bar, {"disable": True})
        self.assertEqual(pipeline.name, "stabilityai/stable-diffusion-xl-base-1.0")

    def test_falls_back_to_fp32_on_a_cpu(self):
        pipe = self.load({}, cuda=False)._pipe
        self.assertEqual((pipe.options["torch_dtype"], pipe.device), ("float32", "cpu"))

    def test_prefers_the_weights_sagemaker_unpacked_into_the_model_dir(self):
        with tempfile.TemporaryDirectory() as folder:
            open(os.path.join(folder, "model_index.json"), "w").close()
            pipeline = self.load({"IMGGEN_MODEL_DIR": folder, "IMGGEN_MODEL_PRESET": "sdxl-turbo"}, cuda=True)
        self.assertEqual(pipeline._pipe.source, folder)
        self.assertEqual(pipeline.name, "sdxl-turbo@model-dir")

    def test_no_safety_checker_when_switched_off(self):
        pipeline = self.load({"IMGGEN_SAFETY_CHECKER": "none"}, cuda=True)
        self.assertIsNone(pipeline._pipe.options["safety_checker"])
        self.assertIsNone(pipeline._safety)


if __name__ == "__main__":
    unittest.main()
