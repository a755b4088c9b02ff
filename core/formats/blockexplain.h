#pragma once

// One block of a number format explained element by element, for teaching (the studio's
// block explorer and its lessons): the shared exponent or scale, each element's stored code
// in binary, whether rounding met a tie, whether the code saturated (clipping), the
// reconstructed value and its error. Every number comes from the reference quantizer
// (referenceBlockCodes); nothing here quantizes on its own.

#include "core/formats/quantformat.h"

#include <QString>
#include <QVector>

namespace lqer {

struct ExplainedElement
{
    float value = 0; // the input x
    double scaled = 0; // x in units of the step, before rounding (ElementCode::scaled)
    double code = 0; // the stored integer (sign-magnitude magnitude for MXINT LQER)
    bool negative = false;
    QString bits; // the stored code in binary: "s mmm" (sign-magnitude), two's complement, unsigned
    bool tie = false; // `scaled` lay exactly halfway between two codes
    bool clipped = false; // rounding gave a code outside the representable range
    float reconstructed = 0;
    double error = 0; // reconstructed − value
};

struct BlockExplanation
{
    QuantFormat format;
    BlockCodes shared;
    QVector<ExplainedElement> elements;
    int tieCount = 0;
    int clippedCount = 0;
    double sse = 0; // Σ error²
    double mse() const { return elements.isEmpty() ? 0.0 : sse / elements.size(); }
    // The format's average storage bits per element (QuantFormat::bitsPerElement).
    double bitsPerElement() const { return format.bitsPerElement(); }
};

// Explains `values` (one block: its length is the block size) in `format`. Fails on an empty
// block, an unquantized format, an invalid format or a non-finite value, naming `what`.
Expected<BlockExplanation> explainBlock(const QVector<float> &values, const QuantFormat &format,
                                        const QString &what);

// The bits of `code` as the format stores it, `width` bits: sign-magnitude for MXINT in the
// LQER convention ("1 011"), two's complement for OCP MX and symmetric INT, unsigned for
// asymmetric INT.
QString codeBits(const QuantFormat &format, double code, bool negative);

// The block-th block of row `row` of a row-major matrix in the format's block size (the last
// block of a row may be shorter; block 0 = whole row when the size is 0 or exceeds the row).
Expected<QVector<float>> blockOfRow(const MatrixRM &matrix, qint64 row, qint64 block, int blockSize);

// Sum of squared errors of quantizing the whole matrix (the fast quantizer), for the live MSE.
Expected<double> quantizationSse(const MatrixRM &matrix, const QuantFormat &format, const QString &what);

} // namespace lqer
