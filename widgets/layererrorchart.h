#pragma once

// Per-layer error across the model (paper Fig. 5): one group of bars per layer (e.g. "Wq only"
// and "Wq + AB"), in model order or sorted by the first series; a click on a bar selects that
// layer (layerClicked), and the selected layer is highlighted.

#include "widgets/plotview.h"

namespace lqer {

struct LayerErrorSeries
{
    QString label; // "Plain MXINT4 (Wq only)"
    QVector<double> values; // one per layer, in the order of setLayers' names; NaN = not computed
};

class LayerErrorChart : public PlotView
{
    Q_OBJECT

public:
    enum class Order { Model, Descending };

    explicit LayerErrorChart(QWidget *parent = nullptr);

    void setMetricLabel(const QString &label); // the y axis: "mean |E − Ẽ| (eₐ)"
    void setData(const QStringList &layers, const QList<LayerErrorSeries> &series);
    void clear() { setData({}, {}); }
    void setOrder(Order order);
    Order order() const { return mOrder; }
    void setSelectedLayer(const QString &layer);
    QString selectedLayer() const { return mSelected; }

    // Layer names in display order (after sorting).
    QStringList displayedLayers() const;
    QString layerAt(const QPointF &pos) const;
    bool hasData() const override { return !mLayers.isEmpty(); }
    QString toolTipAt(const QPointF &pos) const override;
    // Short label under a bar: "L3 down" for "model.layers.3.mlp.down_proj.weight".
    static QString shortLayerName(const QString &name);

signals:
    void layerClicked(const QString &layer);

protected:
    void retranslate() override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;

private:
    void rebuild();

    QStringList mLayers;
    QList<LayerErrorSeries> mSeries;
    QVector<int> mOrderIndex; // display position -> layer index
    Order mOrder = Order::Model;
    QString mSelected;
    QString mMetricLabel;
    QPointF mPressPos;
    QCPItemRect *mHighlight = nullptr;
};

} // namespace lqer
