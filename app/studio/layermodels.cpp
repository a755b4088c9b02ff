#include "app/studio/layermodels.h"

#include "core/io/checkpoint.h"
#include "widgets/layererrorchart.h"

#include <QLocale>
#include <QRegularExpression>

#include <cmath>

namespace lqer {

QString shapeText(const LinearLayerInfo &layer)
{
    return QStringLiteral("%1 × %2").arg(layer.outFeatures).arg(layer.inFeatures);
}

QString formatParameterCount(qint64 n)
{
    if (n >= 1000000000)
        return QStringLiteral("%1 G").arg(n / 1e9, 0, 'f', 2);
    if (n >= 1000000)
        return QStringLiteral("%1 M").arg(n / 1e6, 0, 'f', 2);
    if (n >= 1000)
        return QStringLiteral("%1 k").arg(n / 1e3, 0, 'f', 1);
    return QString::number(n);
}

static QString formatKindText(FormatKind kind)
{
    switch (kind) {
    case FormatKind::None:
        return QObject::tr("none (fp)");
    case FormatKind::MxInt:
        return QStringLiteral("MXINT");
    case FormatKind::IntSym:
        return QObject::tr("INT sym");
    case FormatKind::IntAsym:
        return QObject::tr("INT asym");
    case FormatKind::Q4_0:
    case FormatKind::Q8_0:
    case FormatKind::F16:
        return QuantFormat {kind}.toString();
    }
    return {};
}

// ---------------------------------------------------------------------------------------------

LayerBrowserModel::LayerBrowserModel(QObject *parent)
    : QStandardItemModel(parent)
{
    setColumnCount(ColumnCount);
    retranslate();
}

void LayerBrowserModel::retranslate()
{
    setHorizontalHeaderLabels({tr("Layer"), tr("Shape (out × in)"), tr("DType"), tr("Parameters"),
                               tr("Bits/w"), tr("eₐ (mean |E−Ẽ|)"), tr("Rel. error"), tr("Time")});
    if (mDocument) {
        for (int b = 0; b < rowCount(); ++b)
            item(b, Name)->setText(tr("Block %1").arg(item(b, Name)->data(Qt::UserRole + 2).toInt()));
    }
}

void LayerBrowserModel::setDocument(Document *document)
{
    if (mDocument)
        disconnect(mDocument, nullptr, this, nullptr);
    mDocument = document;
    rebuild();
    if (!document)
        return;
    connect(document, &Document::layerResultChanged, this, &LayerBrowserModel::updateLayer);
    connect(document, &Document::planChanged, this, &LayerBrowserModel::updateBits);
    connect(document, &Document::resultsCleared, this, &LayerBrowserModel::rebuild);
}

void LayerBrowserModel::rebuild()
{
    removeRows(0, rowCount());
    mNameItems.clear();
    if (!mDocument)
        return;
    QStandardItem *blockItem = nullptr;
    int currentBlock = -1;
    qint64 blockParams = 0;
    auto finishBlock = [&] {
        if (blockItem)
            item(blockItem->row(), Parameters)->setText(formatParameterCount(blockParams));
    };
    for (const LinearLayerInfo &l : mDocument->layers()) {
        if (l.block != currentBlock || !blockItem) {
            finishBlock();
            currentBlock = l.block;
            blockParams = 0;
            blockItem = new QStandardItem(tr("Block %1").arg(l.block));
            blockItem->setData(l.block, Qt::UserRole + 2);
            QList<QStandardItem *> row {blockItem};
            for (int c = 1; c < ColumnCount; ++c)
                row << new QStandardItem;
            for (QStandardItem *it : row)
                it->setEditable(false);
            appendRow(row);
        }
        blockParams += l.parameterCount();
        // Under its block, "self_attn.q_proj" says it all; the full name is the tooltip and what
        // the filter matches.
        const QString marker = QStringLiteral(".%1.").arg(l.block);
        const qsizetype at = l.weightName.indexOf(marker);
        QString shortName = at >= 0 ? l.weightName.mid(at + marker.size()) : l.weightName;
        if (shortName.endsWith(QLatin1String(".weight")))
            shortName.chop(7);
        auto *nameItem = new QStandardItem(shortName.isEmpty() ? l.weightName : shortName);
        nameItem->setData(l.weightName, LayerNameRole);
        nameItem->setToolTip(l.weightName);
        QList<QStandardItem *> row {nameItem,
                                    new QStandardItem(shapeText(l)),
                                    new QStandardItem(mDocument->storedType(l.weightName)),
                                    new QStandardItem(formatParameterCount(l.parameterCount())),
                                    new QStandardItem,
                                    new QStandardItem,
                                    new QStandardItem,
                                    new QStandardItem};
        for (QStandardItem *it : row)
            it->setEditable(false);
        row[Parameters]->setData(l.parameterCount(), Qt::UserRole + 3);
        for (int c = Parameters; c < ColumnCount; ++c)
            row[c]->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        blockItem->appendRow(row);
        mNameItems.insert(l.weightName, nameItem);
    }
    finishBlock();
    updateBits();
    for (const LinearLayerInfo &l : mDocument->layers())
        if (mDocument->result(l.weightName))
            updateLayer(l.weightName);
}

QModelIndex LayerBrowserModel::indexOfLayer(const QString &layer) const
{
    QStandardItem *it = mNameItems.value(layer);
    return it ? it->index() : QModelIndex();
}

void LayerBrowserModel::updateBits()
{
    if (!mDocument)
        return;
    for (const LinearLayerInfo &l : mDocument->layers()) {
        QStandardItem *nameItem = mNameItems.value(l.weightName);
        if (!nameItem)
            continue;
        QStandardItem *bits = nameItem->parent()->child(nameItem->row(), Bits);
        bits->setText(QString::number(mDocument->layerBits(l), 'f', 3));
        bits->setData(mDocument->layerBits(l), Qt::UserRole + 3);
    }
}

void LayerBrowserModel::updateLayer(const QString &layer)
{
    QStandardItem *nameItem = mNameItems.value(layer);
    const LayerResult *r = mDocument ? mDocument->result(layer) : nullptr;
    if (!nameItem || !r)
        return;
    QStandardItem *parent = nameItem->parent();
    const int row = nameItem->row();
    auto set = [&](int column, const QString &text, double sortValue) {
        QStandardItem *it = parent->child(row, column);
        it->setText(text);
        it->setData(sortValue, Qt::UserRole + 3);
    };
    set(MeanAbsError, QString::number(r->metrics.meanAbsError, 'g', 4), r->metrics.meanAbsError);
    set(RelError, QStringLiteral("%1 %").arg(100.0 * r->metrics.relError, 0, 'f', 3), r->metrics.relError);
    set(Seconds, QStringLiteral("%1 s").arg(r->metrics.seconds, 0, 'f', 2), r->metrics.seconds);
    parent->child(row, MeanAbsError)
        ->setToolTip(tr("%1, k = %2\nplain eₐ %3 → %4")
                         .arg(methodDisplayName(r->method))
                         .arg(r->metrics.rank)
                         .arg(r->metrics.plainMeanAbsError, 0, 'g', 4)
                         .arg(r->metrics.meanAbsError, 0, 'g', 4));
}

// ---------------------------------------------------------------------------------------------

LayerFilterModel::LayerFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setRecursiveFilteringEnabled(true);
    setFilterKeyColumn(LayerBrowserModel::Name);
    setFilterRole(LayerBrowserModel::LayerNameRole); // full weight names (the display is short)
    setFilterCaseSensitivity(Qt::CaseInsensitive);
    setSortRole(Qt::UserRole + 3);
}

bool LayerFilterModel::setFilter(const QString &text, bool regex)
{
    if (regex) {
        QRegularExpression re(text, QRegularExpression::CaseInsensitiveOption);
        if (!re.isValid())
            return false;
        setFilterRegularExpression(re);
    } else {
        setFilterRegularExpression(
            QRegularExpression(QRegularExpression::escape(text), QRegularExpression::CaseInsensitiveOption));
    }
    return true;
}

bool LayerFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const QVariant l = left.data(Qt::UserRole + 3), r = right.data(Qt::UserRole + 3);
    if (l.isValid() && r.isValid())
        return l.toDouble() < r.toDouble();
    if (l.isValid() != r.isValid())
        return r.isValid(); // computed values before empty cells
    return left.row() < right.row(); // model order for names and blocks
}

// ---------------------------------------------------------------------------------------------

PlanTableModel::PlanTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void PlanTableModel::setDocument(Document *document)
{
    beginResetModel();
    if (mDocument)
        disconnect(mDocument, nullptr, this, nullptr);
    mDocument = document;
    endResetModel();
    if (document)
        connect(document, &Document::planChanged, this,
                [this] { emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1)); });
}

int PlanTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !mDocument ? 0 : int(mDocument->layers().size());
}

int PlanTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString PlanTableModel::layerAt(int row) const
{
    return mDocument && row >= 0 && row < mDocument->layers().size() ? mDocument->layers()[row].weightName
                                                                     : QString();
}

QVariant PlanTableModel::data(const QModelIndex &index, int role) const
{
    if (!mDocument || !index.isValid())
        return {};
    const LinearLayerInfo &l = mDocument->layers()[index.row()];
    const LayerPlan lp = mDocument->plan().forLayer(l.weightName);
    const bool overridden = mDocument->plan().overrides.contains(l.weightName);
    if (role == Qt::CheckStateRole && index.column() == Quantize)
        return lp.quantize ? Qt::Checked : Qt::Unchecked;
    if (role == Qt::FontRole && index.column() == Layer && overridden) {
        QFont f;
        f.setBold(true); // bold: the layer overrides the plan's defaults
        return f;
    }
    if (role == Qt::ToolTipRole && index.column() == Layer)
        return overridden ? tr("%1\n(overrides the plan defaults)").arg(l.weightName) : l.weightName;
    if (role == Qt::TextAlignmentRole
        && (index.column() == WeightBits || index.column() == Block || index.column() == Rank
            || index.column() == Bits))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::EditRole)
        return {};
    switch (index.column()) {
    case Layer:
        return l.weightName;
    case Quantize:
        return role == Qt::DisplayRole ? (lp.quantize ? tr("yes") : tr("no (fp32)")) : QVariant(lp.quantize);
    case WeightFormat:
        return formatKindText(lp.weight.kind);
    case WeightBits:
        return lp.weight.bits;
    case Block:
        return lp.weight.block;
    case ActFormat:
        return lp.act.isQuantized() ? lp.act.toString() : QStringLiteral("none");
    case Method_:
        return role == Qt::DisplayRole ? methodDisplayName(lp.method) : methodName(lp.method);
    case Rank:
        return lp.rank;
    case Bits:
        return QString::number(mDocument->layerBits(l), 'f', 3);
    }
    return {};
}

QVariant PlanTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Layer:
        return tr("Layer");
    case Quantize:
        return tr("Quantize");
    case WeightFormat:
        return tr("Weight format");
    case WeightBits:
        return tr("W bits");
    case Block:
        return tr("Block");
    case ActFormat:
        return tr("Activations");
    case Method_:
        return tr("Method");
    case Rank:
        return tr("Rank k");
    case Bits:
        return tr("Bits/w");
    }
    return {};
}

Qt::ItemFlags PlanTableModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.column() == Quantize)
        f |= Qt::ItemIsUserCheckable;
    else if (index.column() != Layer && index.column() != Bits)
        f |= Qt::ItemIsEditable;
    return f;
}

bool PlanTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!mDocument || !index.isValid())
        return false;
    const QString layer = layerAt(index.row());
    QStringList targets {layer};
    if (mSelection) {
        const QStringList selected = mSelection();
        if (selected.contains(layer))
            targets = selected;
    }
    const QString header = headerData(index.column(), Qt::Horizontal, Qt::DisplayRole).toString();
    const QString what = targets.size() == 1
        ? tr("Set %1 of %2").arg(header, LayerErrorChart::shortLayerName(layer))
        : tr("Set %1 of %n layers", nullptr, int(targets.size())).arg(header);
    std::function<void(LayerPlan &)> edit;
    switch (index.column()) {
    case Quantize:
        if (role != Qt::CheckStateRole)
            return false;
        edit = [on = value.toInt() == Qt::Checked](LayerPlan &lp) { lp.quantize = on; };
        break;
    case WeightFormat: {
        const QString text = value.toString();
        FormatKind kind = FormatKind::MxInt;
        if (text == formatKindText(FormatKind::IntSym))
            kind = FormatKind::IntSym;
        else if (text == formatKindText(FormatKind::IntAsym))
            kind = FormatKind::IntAsym;
        else if (text == formatKindText(FormatKind::None))
            kind = FormatKind::None;
        for (const QuantFormat &ggml : {QuantFormat::q4_0(), QuantFormat::q8_0(), QuantFormat::f16()})
            if (text == ggml.toString()) {
                edit = [ggml](LayerPlan &lp) { lp.weight = ggml; };
                break;
            }
        if (edit)
            break;
        edit = [kind](LayerPlan &lp) {
            lp.weight.kind = kind;
            if (kind == FormatKind::MxInt && lp.weight.expBits < 1) // coming from a ggml format
                lp.weight.expBits = 8;
            if (kind == FormatKind::IntSym || kind == FormatKind::IntAsym)
                lp.weight.block = lp.weight.block < 32 ? 128 : lp.weight.block;
        };
        break;
    }
    case WeightBits: {
        const int bits = value.toInt();
        QuantFormat probe = mDocument->plan().forLayer(layer).weight;
        probe.bits = bits;
        if (!probe.validate())
            return false;
        edit = [bits](LayerPlan &lp) { lp.weight.bits = bits; };
        break;
    }
    case Block: {
        const int block = value.toInt();
        if (block < 1)
            return false;
        edit = [block](LayerPlan &lp) { lp.weight.block = block; };
        break;
    }
    case ActFormat: {
        const QString text = value.toString().trimmed();
        auto fmt = QuantFormat::parse(text);
        if (!fmt)
            return false;
        edit = [f = *fmt](LayerPlan &lp) { lp.act = f; };
        break;
    }
    case Method_: {
        const auto m = methodFromName(value.toString());
        if (!m)
            return false;
        edit = [m = *m](LayerPlan &lp) { lp.method = m; };
        break;
    }
    case Rank: {
        const int k = value.toInt();
        if (k < 0)
            return false;
        edit = [k](LayerPlan &lp) { lp.rank = k; };
        break;
    }
    default:
        return false;
    }
    mDocument->editLayers(targets, edit, what);
    return true;
}

} // namespace lqer
