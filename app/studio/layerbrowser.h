#pragma once

// The layer browser dock's widget: a filter line (plain text or regular expression) over the
// tree of the document's layers with their shapes, bits and metrics.

#include <QWidget>

class QCheckBox;
class QLineEdit;
class QTreeView;

namespace lqer {

class Document;
class LayerBrowserModel;
class LayerFilterModel;

class LayerBrowser : public QWidget
{
    Q_OBJECT

public:
    explicit LayerBrowser(QWidget *parent = nullptr);

    void setDocument(Document *document);
    // Makes `layer` the current row without emitting layerActivated.
    void showLayer(const QString &layer);
    void setFilter(const QString &text, bool regex);
    void retranslate();

    QTreeView *tree() const { return mTree; }
    LayerFilterModel *filterModel() const { return mFilterModel; }

signals:
    // The user made `layer` the current row.
    void layerActivated(const QString &layer);

private:
    void applyFilter();

    LayerBrowserModel *mModel;
    LayerFilterModel *mFilterModel;
    QLineEdit *mFilterEdit;
    QCheckBox *mRegexBox;
    QTreeView *mTree;
};

} // namespace lqer
