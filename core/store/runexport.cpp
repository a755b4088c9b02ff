#include "core/store/runexport.h"

#include "core/store/records.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

namespace lqer {

namespace {

QString csvField(const QString &text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"'))
        && !text.contains(QLatin1Char('\n')))
        return text;
    QString quoted = text;
    quoted.replace(QStringLiteral("\""), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString number(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

// float32-stored values printed as the shortest decimal of the float (0.3, not 0.30000001192).
QJsonArray spectrumJson(const std::vector<double> &values)
{
    QJsonArray array;
    for (double v : values)
        array.append(QString::number(float(v), 'g', QLocale::FloatingPointShortest).toDouble());
    return array;
}

QJsonObject layerJson(const LayerRunRecord &l, bool includeSpectra)
{
    QJsonObject o {
        {QStringLiteral("layer"), l.layer},
        {QStringLiteral("method"), l.method},
        {QStringLiteral("rank"), l.rank},
        {QStringLiteral("in_features"), l.inFeatures},
        {QStringLiteral("out_features"), l.outFeatures},
        {QStringLiteral("weight_format"), l.weightFormat},
        {QStringLiteral("quant_error"), l.quantError},
        {QStringLiteral("frob_error"), l.frobError},
        {QStringLiteral("rel_error"), l.relError},
        {QStringLiteral("mean_abs_error"), l.meanAbsError},
        {QStringLiteral("bits"), l.bits},
        {QStringLiteral("seconds"), l.seconds},
        {QStringLiteral("alpha"), l.alpha},
    };
    // A negative output error means "not measured": JSON says so with null.
    o.insert(QStringLiteral("output_error"), l.outputError < 0 ? QJsonValue() : QJsonValue(l.outputError));
    if (const QJsonObject extra = layerRecordExtra(l); !extra.isEmpty())
        o.insert(QStringLiteral("extra"), extra);
    if (includeSpectra) {
        o.insert(QStringLiteral("sv_error"), spectrumJson(l.svError));
        o.insert(QStringLiteral("sv_scaled"), spectrumJson(l.svScaled));
    }
    return o;
}

QJsonObject perplexityJson(const PerplexityRecord &p)
{
    QJsonObject o {
        {QStringLiteral("label"), p.label},
        {QStringLiteral("text_path"), p.textPath},
        {QStringLiteral("text_fingerprint"), p.textFingerprint},
        {QStringLiteral("window_length"), p.windowLength},
        {QStringLiteral("tokens"), p.tokens},
        {QStringLiteral("nll"), p.nll},
        {QStringLiteral("perplexity"), p.perplexity},
        {QStringLiteral("seconds"), p.seconds},
    };
    if (p.perplexityError > 0)
        o.insert(QStringLiteral("perplexity_error"), p.perplexityError);
    if (p.kl.measured) {
        const KlStats &k = p.kl;
        o.insert(QStringLiteral("fp32_comparison"),
                 QJsonObject {{QStringLiteral("tokens"), k.tokens},
                              {QStringLiteral("kl_mean"), k.meanKl},
                              {QStringLiteral("kl_mean_error"), k.meanKlError},
                              {QStringLiteral("kl_median"), k.medianKl},
                              {QStringLiteral("kl_p99"), k.p99Kl},
                              {QStringLiteral("kl_max"), k.maxKl},
                              {QStringLiteral("top1"), k.top1},
                              {QStringLiteral("top1_error"), k.top1Error},
                              {QStringLiteral("base_perplexity"), k.basePerplexity},
                              {QStringLiteral("base_perplexity_error"), k.basePerplexityError},
                              {QStringLiteral("delta_perplexity"), k.deltaPerplexity},
                              {QStringLiteral("delta_perplexity_error"), k.deltaPerplexityError}});
    }
    return o;
}

} // namespace

QByteArray runJson(const RunRecord &r, bool includeSpectra)
{
    QJsonArray layers;
    for (const LayerRunRecord &l : r.layers)
        layers.append(layerJson(l, includeSpectra));
    QJsonArray ppl;
    for (const PerplexityRecord &p : r.perplexities)
        ppl.append(perplexityJson(p));
    QJsonObject root {
        {QStringLiteral("run_id"), r.id},
        {QStringLiteral("session_id"), r.sessionId},
        {QStringLiteral("kind"), r.kind},
        {QStringLiteral("status"), runStatusName(r.status)},
        {QStringLiteral("started"), r.started.toString(Qt::ISODateWithMs)},
        {QStringLiteral("finished"), r.finished.toString(Qt::ISODateWithMs)},
        {QStringLiteral("wall_seconds"), r.wallSeconds},
        {QStringLiteral("program_version"), r.programVersion},
        {QStringLiteral("expected_layers"), r.expectedLayers},
        {QStringLiteral("plan"), r.plan.toJson()},
        {QStringLiteral("perplexities"), ppl},
        {QStringLiteral("layers"), layers},
    };
    if (!r.error.isEmpty())
        root.insert(QStringLiteral("error"), r.error);
    if (!r.notes.isEmpty())
        root.insert(QStringLiteral("notes"), r.notes);
    if (!r.tags.isEmpty())
        root.insert(QStringLiteral("tags"), QJsonArray::fromStringList(r.tags));
    if (!r.details.isEmpty())
        root.insert(QStringLiteral("details"), r.details);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

QByteArray runCsv(const RunRecord &r)
{
    QString text = QStringLiteral("layer,method,rank,in_features,out_features,weight_format,bits,quant_error,"
                                  "frob_error,rel_error,mean_abs_error,output_error,alpha,seconds\n");
    for (const LayerRunRecord &l : r.layers) {
        const QStringList fields {
            csvField(l.layer),
            csvField(l.method),
            QString::number(l.rank),
            QString::number(l.inFeatures),
            QString::number(l.outFeatures),
            csvField(l.weightFormat),
            number(l.bits),
            number(l.quantError),
            number(l.frobError),
            number(l.relError),
            number(l.meanAbsError),
            l.outputError < 0 ? QString() : number(l.outputError),
            number(l.alpha),
            number(l.seconds),
        };
        text += fields.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return text.toUtf8();
}

} // namespace lqer
