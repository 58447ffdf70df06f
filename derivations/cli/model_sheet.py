"""`derive sheet from-config`: a problem sheet from a Hugging Face config.json."""

from __future__ import annotations

from pathlib import Path

import click

from derivations.cli.common import emit


@click.group()
def sheet() -> None:
    """Write problem sheets."""


@sheet.command("from-config")
@click.argument("config", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The sheet to write (TOML; default: standard output).")
@click.option("--title", help="The sheet's title (default: from the model's name).")
@click.option("--gpus", type=click.IntRange(1, 10**6), default=8, show_default=True,
              help="GPUs of the run.")
@click.option("--tp", type=click.IntRange(1, 1024), default=8, show_default=True,
              help="Tensor-parallel size.")
@click.option("--pp", type=click.IntRange(1, 1024), default=1, show_default=True,
              help="Pipeline stages (data parallel = GPUs / (tp x pp)).")
@click.option("--zero", type=click.IntRange(0, 3), default=1, show_default=True,
              help="ZeRO stage over the data-parallel replicas.")
@click.option("--batch", type=click.IntRange(1, 10**6), default=1, show_default=True,
              help="Sequences per micro-batch (and served together).")
@click.option("--seq", type=click.IntRange(1, 10**8), default=4096, show_default=True,
              help="Tokens per sequence.")
@click.option("--tokens", type=click.FloatRange(1, 1e16), default=1e12, show_default=True,
              help="Training tokens.")
@click.option("--peak-tflops", type=click.FloatRange(0.001, 1e6), default=312.0,
              show_default=True, help="Peak dense bf16 TFLOP/s of one GPU (A100: 312).")
@click.option("--bandwidth", type=click.FloatRange(0.001, 1e7), default=2039.0,
              show_default=True, help="GPU memory bandwidth in GB/s (A100 80 GB: 2039).")
@click.option("--gpu-memory", type=click.FloatRange(0.001, 1e6), default=80.0,
              show_default=True, help="GPU memory in GB.")
@click.option("--mfu", type=click.FloatRange(0.001, 1), default=0.4, show_default=True,
              help="Fraction of peak reached in prefill.")
@click.option("--price", type=click.FloatRange(0, 1e6), default=2.0, show_default=True,
              help="USD per GPU-hour.")
def from_config(config: Path, output: Path | None, title: str | None, gpus: int, tp: int,
                pp: int, zero: int, batch: int, seq: int, tokens: float, peak_tflops: float,
                bandwidth: float, gpu_memory: float, mfu: float, price: float) -> None:
    """Write a sheet that sizes a model from its Hugging Face CONFIG (config.json of
    Llama, Mistral, Mixtral, GPT-NeoX or OPT).

    The sheet's givens are the architecture's numbers and the run's layout; its asks
    are ordinary library formulas, so it solves, builds and grades like any sheet:
    parameters (total and, for a mixture of experts, active), training FLOPs, model
    states and activations per GPU, the KV cache, prefill and per-token latency,
    throughput and the cost of 1,000 generated tokens. The sheet is solved before it
    is written, so a layout that does not fit (tp x pp not dividing the GPUs) is an
    error, not a broken file.

    \b
    Example:
      derive sheet from-config config.json --gpus 64 --tp 8 --pp 2 -o llama.toml
      derive solve llama.toml
    """
    import tomli_w

    from derivations.files import read_text
    from derivations.pipeline import parse_sheet
    from derivations.sheet.from_config import Layout, read_config, sheet_data
    from derivations.solver import engine

    if gpus % (tp * pp):
        raise click.BadParameter(f"{gpus} is not a multiple of --tp {tp} x --pp {pp}: the "
                                 "data-parallel size must be a whole number",
                                 param_hint="--gpus")
    model = read_config(read_text(config), str(config))
    layout = Layout(gpus, tp, pp, zero, batch, seq, tokens, peak_tflops, bandwidth,
                    gpu_memory, mfu, price)
    text = tomli_w.dumps(sheet_data(model, layout, title or f"Sizing {model['name']}"))
    written = output if output is not None and str(output) != "-" else Path("sheet.toml")
    engine.solution_of(parse_sheet(text, written))
    emit(text, output, (config,))
