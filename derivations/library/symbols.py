"""Every quantity the library knows, in one table.

Why one table: a symbol means the same thing in every formula (N is always the
parameter count, in parameters), so the givens table of a sheet, the cheat sheet and
the unit of an answer all come from here, and a sheet binds a value to `N` once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import sympy as sp

from derivations.errors import UnknownName, suggest


@dataclass(frozen=True)
class Quantity:
    """A named quantity that formulas share (N means the same in every formula).

    Attributes:
        name: the sympy symbol name and the key used in TOML sheets (`d_model`).
        latex: how it is typeset (`d_{\\text{model}}`).
        unit: canonical unit (see `library.units.CANONICAL`).
        meaning: a short noun phrase for tables and cheat sheets.
        sign: sympy assumption: `positive` (sizes, counts) or `real`.
    """

    name: str
    latex: str
    unit: str
    meaning: str
    sign: str = "positive"

    @property
    def symbol(self) -> sp.Symbol:
        return symbol_for(self.name, self.sign)


@cache
def symbol_for(name: str, sign: str) -> sp.Symbol:
    """One sympy Symbol per (name, assumption), so equal names are equal symbols."""
    return sp.Symbol(name, **{sign: True})

_ROWS: list[tuple[str, str, str, str] | tuple[str, str, str, str, str]] = [
    # compute
    ("C", "C", "FLOP", "training compute"),
    ("C_fwd", r"C_{\text{fwd}}", "FLOP", "forward-pass compute"),
    ("C_bwd", r"C_{\text{bwd}}", "FLOP", "backward-pass compute"),
    ("C_pfd", r"C_{\text{PF-day}}", "PFLOP-day", "compute in PFLOP-days"),
    ("C_mm", r"C_{\text{mm}}", "FLOP", "FLOPs of one matrix product"),
    ("C_seq", r"C_{\text{seq}}", "FLOP", "forward FLOPs for one batch of sequences"),
    ("C_step", r"C_{\text{step}}", "FLOP", "training FLOPs (forward + backward) for one batch"),
    ("N", "N", "parameter", "model parameters"),
    ("D", "D", "token", "training tokens (unique tokens when data repeats)"),
    ("tau", r"\tau", "FLOP/s", "aggregate hardware throughput"),
    ("T", "T", "second", "training time"),
    ("n_gpu", r"n_{\text{GPU}}", "GPU", "number of GPUs"),
    ("F_gpu", r"F_{\text{GPU}}", "FLOP/s", "peak throughput of one GPU"),
    ("u", "u", "1", "hardware utilisation (fraction of peak)"),
    ("H_gpu", r"H_{\text{GPU}}", "GPU-hour", "GPU-hours"),
    ("m_rows", "m", "1", "rows of the left matrix"),
    ("p_inner", "p", "1", "shared (inner) dimension"),
    ("n_cols", "n", "1", "columns of the right matrix"),
    ("b", "b", "sample", "sequences per (micro-)batch"),
    ("n_layers", r"n_{\text{layers}}", "1", "transformer layers"),
    ("n_ctx", r"n_{\text{ctx}}", "token", "sequence (context) length"),
    ("d_model", r"d_{\text{model}}", "1", "model (embedding) dimension"),
    ("n_heads", r"n_{\text{heads}}", "1", "attention heads"),
    # scaling
    ("L", "L", "1", "loss (nats per token)"),
    ("E", "E", "1", "irreducible loss"),
    ("A", "A", "1", "parameter-term coefficient"),
    ("B", "B", "1", "data-term coefficient"),
    ("alpha", r"\alpha", "1", "parameter-term exponent"),
    ("beta", r"\beta", "1", "data-term exponent"),
    ("L_red", r"L_{\text{red}}", "1", "reducible loss"),
    ("G", "G", "1", "compute-optimal allocation constant"),
    ("N_opt", r"N_{\text{opt}}", "parameter", "compute-optimal parameters"),
    ("D_opt", r"D_{\text{opt}}", "token", "compute-optimal tokens"),
    ("k_N", "k_N", "1", "model-size scale factor"),
    ("k_D", "k_D", "1", "data scale factor at equal loss"),
    ("C_oh", r"C_{\text{overhead}}", "1", "relative compute overhead", "real"),
    ("D_eff", r"D_{\text{eff}}", "token", "effective tokens"),
    ("x", "x", "epoch", "additional epochs after the first", "nonnegative"),
    ("U_D", r"U_D", "token", "unique tokens"),
    ("R_D", r"R_D", "1", "repetitions of the unique data after the first pass"),
    ("R_star", r"R_D^{*}", "1", "repetitions at which repeated data has decayed by 1/e"),
    # number formats
    ("s_bit", "s", "1", "sign bit", "nonnegative"),
    ("e_bits", "e", "1", "stored exponent field, read as an unsigned integer", "nonnegative"),
    ("bias", r"\mathrm{bias}", "1", "exponent bias"),
    ("f_bits", "f", "1", "stored fraction (mantissa) field, as an unsigned integer",
     "nonnegative"),
    ("p_bits", "p", "1", "fraction (mantissa) bits"),
    ("k_bits", "k", "1", "exponent bits"),
    ("n_bits", r"n_{\text{bits}}", "1", "bits of an integer format"),
    ("x_fp", r"x_{\text{fp}}", "1", "value of the floating-point number", "real"),
    ("v_in", "v", "1", "number to represent"),
    ("e_unb", r"e_{\text{unb}}", "1", "unbiased exponent", "real"),
    ("err_fp", r"\delta", "1", "rounding error (stored minus exact)", "real"),
    ("x_max", r"x_{\max}", "1", "largest finite value"),
    ("x_min", r"x_{\min}", "1", "smallest positive normal value"),
    ("eps_mach", r"\varepsilon_{\text{mach}}", "1", "machine epsilon (gap above 1)"),
    ("q_max", r"q_{\max}", "1", "largest code of a signed integer format"),
    # memory
    ("b_w", r"b_{\text{w}}", "byte/parameter", "bytes per weight"),
    ("b_g", r"b_{\text{g}}", "byte/parameter", "bytes per gradient"),
    ("b_o", r"b_{\text{o}}", "byte/parameter", "optimizer-state bytes per parameter"),
    ("M_w", r"M_{\text{w}}", "byte", "weight memory"),
    ("M_g", r"M_{\text{g}}", "byte", "gradient memory"),
    ("M_o", r"M_{\text{o}}", "byte", "optimizer-state memory"),
    ("M_a", r"M_{\text{a}}", "byte", "activation memory"),
    ("M_train", r"M_{\text{train}}", "byte", "total training memory"),
    ("M_inf", r"M_{\text{inf}}", "byte", "inference memory"),
    ("M_gpu", r"M_{\text{GPU}}", "byte", "memory of one GPU"),
    ("M", "M", "byte", "memory"),
    ("P", "P", "parameter", "trainable parameters"),
    ("k_ckpt", r"k_{\text{ckpt}}", "1", "layers between activation checkpoints"),
    ("n_kv", r"n_{\text{kv}}", "1", "key/value heads"),
    ("d_head", r"d_{\text{head}}", "1", "dimension of one attention head"),
    ("M_kv", r"M_{\text{KV}}", "byte", "KV-cache memory"),
    ("k_os", r"K_{\text{opt}}", "byte/parameter",
     "optimizer-state bytes per parameter (ZeRO's K, fp32 master copy included)"),
    ("n_dp", r"N_d", "GPU", "data-parallel GPUs"),
    ("M_ms", r"M_{\text{states}}", "byte", "model-state memory per GPU"),
    ("C_tok", r"C_{\text{token}}", "FLOP", "inference FLOPs per generated token"),
    ("R_tok", r"R_{\text{tok}}", "token/s", "training throughput"),
    # architecture
    ("d_ff", r"d_{\text{ff}}", "1", "MLP hidden width"),
    ("n_vocab", r"V", "1", "vocabulary size"),
    ("n_exp", r"n_{\text{exp}}", "1", "experts per MoE layer"),
    ("k_exp", r"k_{\text{top}}", "1", "experts each token is routed to"),
    ("P_attn", r"P_{\text{attn}}", "parameter", "attention parameters per layer"),
    ("P_mlp", r"P_{\text{MLP}}", "parameter", "MLP parameters per layer (one expert)"),
    ("P_layer", r"P_{\text{layer}}", "parameter", "parameters per transformer layer"),
    ("P_lact", r"P_{\text{layer,active}}", "parameter",
     "parameters of one layer a token uses"),
    ("P_emb", r"P_{\text{emb}}", "parameter", "embedding parameters"),
    ("N_act", r"N_{\text{active}}", "parameter", "parameters active per token"),
    # parallelism and communication
    ("t_tp", "t", "1", "tensor-parallel size"),
    ("p_pp", "p", "1", "pipeline-parallel stages"),
    ("n_mb", "m", "1", "micro-batches per pipeline step"),
    ("f_bub", r"f_{\text{bubble}}", "1", "pipeline bubble (fraction of the step)"),
    ("n_fl", r"n_{\text{in-flight}}", "1", "micro-batches whose activations a stage holds"),
    ("b_a", r"b_{\text{a}}", "byte", "bytes per activation value"),
    ("n_ring", "n", "GPU", "GPUs taking part in a collective"),
    ("S_msg", "S", "byte", "bytes reduced or gathered"),
    ("V_comm", r"V_{\text{comm}}", "byte", "bytes each GPU sends"),
    ("BW", r"\mathit{BW}", "byte/s", "link bandwidth per GPU"),
    ("t_comm", r"t_{\text{comm}}", "second", "communication time"),
    ("n_st", r"n_{\text{stage}}", "1", "layers on the heaviest pipeline stage"),
    ("e_ep", "e", "1", "expert-parallel size"),
    ("P_ep", r"P_{\text{experts/GPU}}", "parameter", "expert parameters per GPU"),
    ("P_big", r"P_{\text{largest}}", "parameter", "parameters of the largest layer"),
    ("M_cpu", r"M_{\text{CPU}}", "byte", "CPU memory"),
    ("n_node", r"n_{\text{nodes}}", "1", "nodes"),
    # inference and cost
    ("BW_hbm", r"\mathit{BW}_{\text{HBM}}", "byte/s", "GPU memory bandwidth"),
    ("T_pre", r"T_{\text{prefill}}", "second", "prefill time"),
    ("T_tok", r"T_{\text{token}}", "second", "time per generated token"),
    ("R_gen", r"R_{\text{gen}}", "token/s", "generated tokens per second"),
    ("b_crit", r"b^{*}", "sample", "batch at which decoding becomes compute-bound"),
    ("b_max", r"b_{\max}", "sample", "largest batch whose KV cache fits"),
    ("M_log", r"M_{\text{logits}}", "byte", "logits buffer"),
    ("c_gpu", r"c_{\text{GPU}}", "USD/GPU-hour", "price of one GPU-hour"),
    ("K_usd", r"\mathit{Cost}", "USD", "cost"),
    ("K_1k", r"\mathit{Cost}_{1k}", "USD", "cost per 1,000 generated tokens"),
    # fine-tuning
    ("K", "K", "1", "fully fine-tuned copies"),
    ("M_K", r"M_K", "byte", "memory of K copies"),
    ("m", "m", "1", "adapted matrices per layer"),
    ("r", "r", "1", "LoRA rank"),
    ("d_in", r"d_{\text{in}}", "1", "input dimension of an adapted matrix"),
    ("d_out", r"d_{\text{out}}", "1", "output dimension of an adapted matrix"),
    ("n_labels", r"n_{\text{labels}}", "1", "classification labels"),
    ("P_head", r"P_{\text{head}}", "parameter", "classification-head parameters"),
    # training loop
    ("S", "S", "step", "optimizer steps per epoch"),
    ("n_samples", r"n_{\text{samples}}", "sample", "training samples per epoch"),
    ("g", "g", "1", "gradient-accumulation steps"),
    ("n_dev", r"n_{\text{dev}}", "GPU", "data-parallel devices"),
    ("n_micro", r"n_{\text{micro}}", "step", "micro-batches per device per epoch"),
    ("T_step", r"T_{\text{step}}", "token", "tokens per optimizer step"),
    # quantization
    ("w", "w", "1", "value to quantize", "real"),
    ("w_absmax", r"\max|w|", "1", "largest magnitude"),
    ("w_max", r"w_{\max}", "1", "largest value", "real"),
    ("w_min", r"w_{\min}", "1", "smallest value", "real"),
    ("s", "s", "1", "quantization scale"),
    ("z", "z", "1", "zero point", "real"),
    ("q", "q", "1", "int8 code", "real"),
    ("w_hat", r"\hat{w}", "1", "dequantized value", "real"),
    ("e_q", r"e_q", "1", "quantization error", "real"),
]

QUANTITIES: dict[str, Quantity] = {row[0]: Quantity(*row) for row in _ROWS}


#: Bit fields, bit counts and biases: exact codes with no measurement or rounding
#: error, so an answer's sensitivity to them is never a useful warning.
DISCRETE = frozenset({"s_bit", "e_bits", "f_bits", "p_bits", "k_bits", "n_bits", "bias",
                      "e_unb"})


def quantity(name: str) -> Quantity:
    """The quantity called `name`; unknown names raise with the closest names."""
    try:
        return QUANTITIES[name]
    except KeyError:
        raise UnknownName("symbol", name, suggest(name, QUANTITIES)) from None


def sym(name: str):  # noqa: ANN201 - sympy Symbol
    """The sympy symbol of a library quantity (shorthand used by topic modules)."""
    return quantity(name).symbol


def syms(names: str) -> list:
    """Several symbols at once: `N, D = syms("N D")`."""
    return [sym(n) for n in names.split()]
