"""imggen's own SageMaker inference container: Stable Diffusion / SDXL with Hugging Face diffusers."""
