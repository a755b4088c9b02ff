#include "cost.h"

#include <cmath>

namespace lqer {

LayerBits layerBits(qint64 inFeatures, qint64 outFeatures, const LayerPlan &plan)
{
    const double m = double(inFeatures), n = double(outFeatures);
    LayerBits b;
    if (!plan.quantize) {
        b.bits = m * n * 16.0;
        b.bitsPerWeight = 16.0;
        b.paperBits = 16.0;
        return b;
    }
    const double k = double(effectiveRank(plan, inFeatures, outFeatures));
    const double weightBits = m * n * plan.weight.bitsPerElement();
    const double lowRankBits = (m * k + k * n) * plan.lowRank.bitsPerElement();
    b.bits = weightBits + lowRankBits;
    b.bitsPerWeight = b.bits / (m * n);
    b.paperBits = b.bits / (m * n + m * k + k * n);
    return b;
}

ModelBits modelBits(const QList<LayerShape> &layers, const Plan &plan)
{
    ModelBits r;
    double paperSum = 0;
    int quantized = 0;
    for (const LayerShape &l : layers) {
        const LayerPlan lp = plan.forLayer(l.name);
        const LayerBits b = layerBits(l.inFeatures, l.outFeatures, lp);
        r.totalBits += b.bits;
        r.originalWeights += l.inFeatures * l.outFeatures;
        if (lp.quantize) {
            paperSum += b.paperBits;
            ++quantized;
        }
    }
    r.bitsPerWeight = r.originalWeights > 0 ? r.totalBits / double(r.originalWeights) : 0.0;
    r.paperAverage = quantized > 0 ? paperSum / quantized : 16.0;
    return r;
}

namespace {

// Binary adder tree over `lanes` products of `width` bits: each level halves the count and
// grows the width by one bit.
double adderTreeLut(int lanes, int width, const AreaParameters &p)
{
    double lut = 0;
    for (int count = lanes / 2, w = width + 1; count >= 1; count /= 2, ++w)
        lut += count * w * p.lutPerAdderBit;
    return lut;
}

AreaBreakdown fp16Pe(const AreaParameters &p)
{
    AreaBreakdown a;
    a.multipliers = p.lanes * (p.lutPerDsp + p.fp16MulLut);
    a.adderTree = (p.lanes - 1) * p.fp16AddLut;
    a.accumulator = p.fp32AddLut;
    return a;
}

AreaBreakdown integerPe(int weightBits, int actBits, bool signMagnitude, const AreaParameters &p)
{
    // Sign-magnitude multiplies magnitudes (w-1 x a-1 bits) and XORs the signs; two's
    // complement multiplies full widths.
    const int wm = signMagnitude ? weightBits - 1 : weightBits;
    const int am = signMagnitude ? actBits - 1 : actBits;
    AreaBreakdown a;
    a.multipliers = p.lanes * (wm * am * p.lutPerProductBit + (signMagnitude ? p.lutPerSign : 0.0));
    a.adderTree = adderTreeLut(p.lanes, wm + am + 1, p);
    a.accumulator = p.intToFloatLut + p.fp32AddLut;
    return a;
}

} // namespace

AreaBreakdown designArea(const HardwareDesign &d, const AreaParameters &p)
{
    AreaBreakdown a;
    switch (d.kind) {
    case DesignKind::Fp16:
        a = fp16Pe(p);
        break;
    case DesignKind::WeightOnlyInt:
        // Every weight is dequantized to FP16 (zero point, convert, multiply by the FP16 group
        // scale) before an FP16 MAC.
        a = fp16Pe(p);
        a.scaling = p.lanes * (p.dequantLut + p.lutPerDsp + p.fp16MulLut);
        break;
    case DesignKind::MixedOutlier: {
        // LLM.int4(): INT4 x INT8 path, an FP16 path for outlier features, and per-lane
        // routing/decomposition logic plus dequantization of the INT path's outputs.
        const AreaBreakdown intPath = integerPe(d.weightBits, 8, false, p);
        const AreaBreakdown fpPath = fp16Pe(p);
        a.multipliers = intPath.multipliers + fpPath.multipliers;
        a.adderTree = intPath.adderTree + fpPath.adderTree;
        a.accumulator = intPath.accumulator + fpPath.accumulator;
        a.scaling = p.lanes * (p.dequantLut + p.lutPerDsp + p.fp16MulLut);
        break;
    }
    case DesignKind::IntegerMac:
        a = integerPe(d.weightBits, d.actBits, d.signMagnitude, p);
        if (d.sharedExponent) {
            a.scaling = 2 * d.expBits * p.lutPerAdderBit; // add the two shared exponents
        } else {
            // Weight and activation scales are applied to the integer partial sum with an FP32
            // multiply once per scale group (shared over group/lanes cycles).
            const double cycles = d.scaleGroup > 0 ? double(d.scaleGroup) / p.lanes : 8.0;
            a.scaling = (p.lutPerDsp + p.fp32MulLut) / std::max(1.0, cycles);
        }
        if (d.perGroupActScale)
            a.scaling += p.lutPerDsp + p.fp16MulLut;
        break;
    }
    if (d.lowRankFraction > 0) {
        // The low-rank path runs MXINT8 x MXINT8 MACs: lowRankFraction of them per original MAC.
        HardwareDesign lr;
        lr.kind = DesignKind::IntegerMac;
        lr.weightBits = 8;
        lr.actBits = 8;
        lr.sharedExponent = true;
        a.lowRank = d.lowRankFraction * designArea(lr, p).total();
    }
    return a;
}

double areaRelativeToFp16(const HardwareDesign &design, const AreaParameters &p)
{
    HardwareDesign fp16;
    fp16.kind = DesignKind::Fp16;
    return designArea(design, p).total() / designArea(fp16, p).total();
}

QList<HardwareDesign> paperTable3Designs(double lowRankFraction)
{
    QList<HardwareDesign> list;
    auto add = [&](const char *name, DesignKind kind, int w, int a, bool signMag, bool mx, int group,
                   bool actGroup, bool lowRank, double paper) {
        HardwareDesign d;
        d.name = QString::fromUtf8(name);
        d.kind = kind;
        d.weightBits = w;
        d.actBits = a;
        d.signMagnitude = signMag;
        d.sharedExponent = mx;
        d.scaleGroup = group;
        d.perGroupActScale = actGroup;
        d.lowRankFraction = lowRank ? lowRankFraction : 0.0;
        d.paperRatio = paper;
        list << d;
    };
    add("FP16", DesignKind::Fp16, 16, 16, false, false, 0, false, false, 1.0);
    add("GPTQ/AWQ INT4 g128 (w-only)", DesignKind::WeightOnlyInt, 4, 16, false, false, 128, false, false,
        13.99);
    add("L\u00b2QER-INT w-only", DesignKind::WeightOnlyInt, 4, 16, false, false, 128, false, true, 1.34);
    add("LLM.int4()", DesignKind::MixedOutlier, 4, 16, false, false, 0, false, false, 21.23);
    add("OmniQuant W6A6", DesignKind::IntegerMac, 6, 6, true, false, 0, false, false, 0.39);
    add("AQAS W4A8", DesignKind::IntegerMac, 4, 8, true, false, 0, true, false, 0.45);
    add("L\u00b2QER-INT W4A8 g128", DesignKind::IntegerMac, 4, 8, true, false, 128, false, true, 0.33);
    add("L\u00b2QER-MXINT W4A6", DesignKind::IntegerMac, 4, 6, true, true, 0, false, true, 0.23);
    add("L\u00b2QER-MXINT W4A8", DesignKind::IntegerMac, 4, 8, true, true, 0, false, true, 0.33);
    return list;
}

HardwareDesign designForPlan(const Plan &plan, const QList<LayerShape> &layers)
{
    HardwareDesign d;
    d.name = plan.preset.isEmpty() ? QStringLiteral("plan") : plan.preset;
    const LayerPlan &lp = plan.defaults;
    if (!lp.quantize) {
        d.kind = DesignKind::Fp16;
        return d;
    }
    d.weightBits = lp.weight.bits;
    d.actBits = lp.act.isQuantized() ? lp.act.bits : 16;
    d.kind = lp.act.isQuantized() ? DesignKind::IntegerMac : DesignKind::WeightOnlyInt;
    d.signMagnitude = lp.weight.kind == FormatKind::MxInt;
    d.sharedExponent = lp.weight.kind == FormatKind::MxInt && lp.act.kind == FormatKind::MxInt;
    d.expBits = lp.weight.expBits;
    d.scaleGroup = lp.weight.block;
    double extra = 0, macs = 0;
    for (const LayerShape &l : layers) {
        const LayerPlan p = plan.forLayer(l.name);
        const double m = double(l.inFeatures), n = double(l.outFeatures);
        const double k = (p.quantize && p.method != Method::Plain) ? double(p.rank) : 0.0;
        extra += k * (m + n);
        macs += m * n;
    }
    d.lowRankFraction = macs > 0 ? extra / macs : 0.0;
    return d;
}

} // namespace lqer
