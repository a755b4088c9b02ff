#pragma once

// Memory bits and hardware cost (NUMERICS.md §8, paper Appendix D).
//
// Bits: for a layer W in R^{m x n} (m = in, n = out) with rank k,
//   b = [mn (w + e/B) + (mk + kn)(w_l + e_l/B)] / (mn)       per original weight (ours)
//   b' = [same numerator] / (mn + mk + kn)                   the paper's spreadsheet figure,
// the model's figure is sum(bits) / sum(original weights); the paper's averages b' over layers
// by count. Bits per element of a format come from QuantFormat::bitsPerElement().
//
// Circuit area: a parametric model of one processing element with 16 MACs per cycle, in LUTs
// (a DSP counts as 100 LUTs), relative to the FP16 design. docs/COST_MODEL.md derives it and
// compares it with the paper's Table III.

#include "core/formats/quantformat.h"
#include "core/plan/plan.h"

#include <QList>
#include <QString>

namespace lqer {

struct LayerShape
{
    QString name;
    qint64 inFeatures = 0; // m
    qint64 outFeatures = 0; // n
};

struct LayerBits
{
    double bits = 0; // total storage bits of the layer (weights + A + B)
    double bitsPerWeight = 0; // b: per original weight
    double paperBits = 0; // b': per stored element, the paper's spreadsheet figure
};

LayerBits layerBits(qint64 inFeatures, qint64 outFeatures, const LayerPlan &plan);

struct ModelBits
{
    double totalBits = 0;
    qint64 originalWeights = 0;
    double bitsPerWeight = 0; // sum bits / sum original weights (ours)
    double paperAverage = 0; // mean of b' over quantized layers (the paper's figure)
};

// Layers the plan leaves unquantized count at 16 bits (fp16 storage).
ModelBits modelBits(const QList<LayerShape> &layers, const Plan &plan);

// ---- circuit area -----------------------------------------------------------------------

// Unit costs in LUTs; the defaults are documented in docs/COST_MODEL.md.
struct AreaParameters
{
    int lanes = 16; // MACs per cycle
    double lutPerDsp = 100;
    double lutPerProductBit = 2.0; // integer multiplier: LUTs per partial-product bit (a x b)
    double lutPerSign = 1.0; // sign-magnitude sign logic per multiplier
    double lutPerAdderBit = 1.0; // ripple/carry-chain adder, per bit
    double fp16MulLut = 30; // FP16 multiplier: 1 DSP + this many LUTs (exponent, rounding)
    double fp16AddLut = 60; // FP16 adder (align, add, normalise)
    double fp32AddLut = 120; // FP32 accumulator adder
    double fp32MulLut = 30; // FP32 multiplier: 1 DSP + LUTs (scale application)
    double intToFloatLut = 40; // integer -> float converter (leading-zero count + shift)
    double dequantLut = 12; // INT -> FP16 element dequantizer glue (zero point, convert)
    double outlierFraction = 0.01; // LLM.int4(): share of outlier features taken in FP16
};

enum class DesignKind {
    Fp16, // FP16 x FP16 MACs
    WeightOnlyInt, // INT weights dequantized to FP16, FP16 MACs (GPTQ/AWQ, L²QER-INT w-only)
    MixedOutlier, // LLM.int4(): INT path + an FP16 outlier path + decomposition logic
    IntegerMac, // both operands integer (INT per-channel/group scales, or MXINT)
};

struct HardwareDesign
{
    QString name;
    DesignKind kind = DesignKind::Fp16;
    int weightBits = 16;
    int actBits = 16;
    bool signMagnitude = true; // MXINT (sign + magnitude) vs two's complement INT
    bool sharedExponent = false; // MXINT: exponent adder instead of scale multiplies
    int expBits = 8;
    int scaleGroup = 0; // INT: scale multiply once per group of this many products (0: per channel)
    bool perGroupActScale
        = false; // AQAS-style fine-grained activation scales (one FP16 multiply per lane group)
    double lowRankFraction = 0; // LQER: extra W8A8 MACs per original MAC, k(m+n)/(mn)
    double paperRatio = 0; // Table III value, when the design is one of the paper's
};

struct AreaBreakdown
{
    double multipliers = 0;
    double adderTree = 0;
    double scaling = 0; // exponent adders, scale multipliers, dequantizers, converters
    double accumulator = 0;
    double lowRank = 0;
    double total() const { return multipliers + adderTree + scaling + accumulator + lowRank; }
};

AreaBreakdown designArea(const HardwareDesign &design, const AreaParameters &p = {});
double areaRelativeToFp16(const HardwareDesign &design, const AreaParameters &p = {});

// The designs of the paper's Table III with their published ratios.
QList<HardwareDesign> paperTable3Designs(double lowRankFraction = 32.0 * (4096 + 4096) / (4096.0 * 4096.0));

// The design a plan implies (MXINT or INT weights, activation format, mean rank), for the
// studio's cost panel and the CLI table.
HardwareDesign designForPlan(const Plan &plan, const QList<LayerShape> &layers);

} // namespace lqer
