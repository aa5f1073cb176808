import os
import stat
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "image.sh")


def fake_tool(folder: str, name: str, body: str) -> None:
    path = os.path.join(folder, name)
    with open(path, "w") as handle:
        handle.write("#!/bin/sh\n" + body + "\n")
    os.chmod(path, os.stat(path).st_mode | stat.S_IEXEC)


class ImageScriptTest(unittest.TestCase):
    """make model-build / model-push, with a fake engine on PATH: they must fail with a message that says why."""

    def run_script(self, command: str, tools: dict, env: dict = None):
        with tempfile.TemporaryDirectory() as folder:
            for name, body in tools.items():
                fake_tool(folder, name, body)
            for name in ("sed", "dirname", "git", "cat"):
                for prefix in ("/usr/bin", "/bin"):
                    if os.path.exists(os.path.join(prefix, name)):
                        os.symlink(os.path.join(prefix, name), os.path.join(folder, name))
                        break
            environment = {"PATH": folder, "HOME": folder, **(env or {})}
            return subprocess.run(
                ["/bin/bash", SCRIPT, command], env=environment, capture_output=True, text=True, timeout=30
            )

    def test_build_fails_clearly_without_an_engine(self):
        result = self.run_script("build", {})
        self.assertEqual(result.returncode, 1)
        self.assertIn("no container engine", result.stderr)

    def test_build_fails_clearly_when_the_base_image_cannot_be_had(self):
        # inspect and pull fail, as on a machine that cannot reach Docker Hub
        result = self.run_script("build", {"podman": 'echo "$@" >> "$HOME/calls"; exit 125'})
        self.assertEqual(result.returncode, 1)
        self.assertIn("the base image pytorch/pytorch:", result.stderr)
        self.assertIn("is neither local nor pullable", result.stderr)
        self.assertIn("MODEL_BASE_IMAGE", result.stderr)

    def test_build_builds_on_the_configured_base_image(self):
        result = self.run_script(
            "build",
            {"podman": 'echo "$@"; exit 0'},
            {"MODEL_BASE_IMAGE": "localhost/torch:test", "MODEL_IMAGE": "imggen-model:dev"},
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("build --build-arg BASE_IMAGE=localhost/torch:test -t imggen-model:dev .", result.stdout)

    def test_push_needs_the_account_and_region(self):
        result = self.run_script("push", {"podman": "exit 0"})
        self.assertEqual(result.returncode, 1)
        self.assertIn("set AWS_ACCOUNT_ID", result.stderr)
        result = self.run_script("push", {"podman": "exit 0"}, {"AWS_ACCOUNT_ID": "123456789012"})
        self.assertIn("set AWS_REGION", result.stderr)

    def test_push_logs_in_tags_and_pushes_to_ecr(self):
        result = self.run_script(
            "push",
            {"podman": 'echo "podman $@"; exit 0', "aws": 'echo secret'},
            {"AWS_ACCOUNT_ID": "123456789012", "AWS_REGION": "eu-west-1", "MODEL_IMAGE_TAG": "v1"},
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        registry = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
        self.assertIn(f"podman login --username AWS --password-stdin {registry}", result.stdout)
        self.assertIn(f"podman tag imggen-model:latest {registry}/imggen-model:v1", result.stdout)
        self.assertIn(f"podman push {registry}/imggen-model:v1", result.stdout)


if __name__ == "__main__":
    unittest.main()
