#pragma once

// The item models of the studio's two tables:
// - LayerBrowserModel: blocks and their linears (tree) with shape, dtype, parameters and, once
//   computed, the metrics; filtered by name or regular expression through LayerFilterModel.
// - PlanTableModel: one row per linear with its plan (format, bits, block, method, rank); an
//   edit applies to every selected row when the edited row is selected (multi-select editing),
//   each edit one undo command on the document.

#include "app/studio/document.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>

namespace lqer {

class LayerBrowserModel : public QStandardItemModel
{
    Q_OBJECT

public:
    enum Column { Name, Shape, DType, Parameters, Bits, MeanAbsError, RelError, Seconds, ColumnCount };
    static constexpr int LayerNameRole = Qt::UserRole + 1; // the weight tensor name (linears only)

    explicit LayerBrowserModel(QObject *parent = nullptr);

    void setDocument(Document *document);
    QModelIndex indexOfLayer(const QString &layer) const;
    void retranslate();

private:
    void rebuild();
    void updateLayer(const QString &layer);
    void updateBits();

    Document *mDocument = nullptr;
    QHash<QString, QStandardItem *> mNameItems;
};

// Filters on the layer name (plain substring or regular expression); blocks stay visible while
// one of their linears matches.
class LayerFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit LayerFilterModel(QObject *parent = nullptr);
    // Returns false (and keeps the old filter) when `regex` is set and the pattern is invalid.
    bool setFilter(const QString &text, bool regex);

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;
};

class PlanTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        Layer,
        Quantize,
        WeightFormat,
        WeightBits,
        Block,
        ActFormat,
        Method_,
        Rank,
        Bits,
        ColumnCount
    };

    explicit PlanTableModel(QObject *parent = nullptr);
    void setDocument(Document *document);
    // Returns the layers an edit of `row` applies to (the selection, when the row is in it).
    void setSelectionProvider(std::function<QStringList()> provider) { mSelection = std::move(provider); }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;

    QString layerAt(int row) const;

private:
    Document *mDocument = nullptr;
    std::function<QStringList()> mSelection;
};

QString shapeText(const LinearLayerInfo &layer);
QString formatParameterCount(qint64 n);

} // namespace lqer
