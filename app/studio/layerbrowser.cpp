#include "app/studio/layerbrowser.h"

#include "app/studio/layermodels.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QTreeView>
#include <QVBoxLayout>

namespace lqer {

LayerBrowser::LayerBrowser(QWidget *parent)
    : QWidget(parent)
    , mModel(new LayerBrowserModel(this))
    , mFilterModel(new LayerFilterModel(this))
    , mFilterEdit(new QLineEdit)
    , mRegexBox(new QCheckBox)
    , mTree(new QTreeView)
{
    mFilterModel->setSourceModel(mModel);
    mFilterEdit->setClearButtonEnabled(true);
    mTree->setModel(mFilterModel);
    mTree->setSortingEnabled(true);
    mTree->sortByColumn(-1, Qt::AscendingOrder);
    mTree->setAlternatingRowColors(true);
    mTree->setUniformRowHeights(true);
    mTree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    // Interactive, not ResizeToContents: that re-measures every row on each per-layer update
    // and was the largest GUI stall during a whole-model job.
    mTree->header()->setSectionResizeMode(QHeaderView::Interactive);
    mTree->header()->setDefaultSectionSize(80);
    auto *filterRow = new QHBoxLayout;
    filterRow->addWidget(mFilterEdit, 1);
    filterRow->addWidget(mRegexBox);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(filterRow);
    layout->addWidget(mTree, 1);
    connect(mFilterEdit, &QLineEdit::textChanged, this, &LayerBrowser::applyFilter);
    connect(mRegexBox, &QCheckBox::toggled, this, &LayerBrowser::applyFilter);
    connect(
        mTree->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &cur) {
            const QString layer = cur.siblingAtColumn(0).data(LayerBrowserModel::LayerNameRole).toString();
            if (!layer.isEmpty())
                emit layerActivated(layer);
        });
}

void LayerBrowser::applyFilter()
{
    const bool ok = mFilterModel->setFilter(mFilterEdit->text(), mRegexBox->isChecked());
    mFilterEdit->setStyleSheet(ok ? QString() : QStringLiteral("background: #fdd;"));
    mFilterEdit->setToolTip(ok ? QString() : tr("Invalid regular expression"));
    if (ok)
        mTree->expandAll();
}

void LayerBrowser::setDocument(Document *document)
{
    mModel->setDocument(document);
    mTree->expandAll();
    mTree->setColumnWidth(LayerBrowserModel::Name, 175);
    mTree->setColumnWidth(LayerBrowserModel::Shape, 90);
    mTree->setColumnWidth(LayerBrowserModel::DType, 50);
    mTree->setColumnWidth(LayerBrowserModel::Parameters, 72);
    mTree->setColumnWidth(LayerBrowserModel::Bits, 52);
}

void LayerBrowser::showLayer(const QString &layer)
{
    const QModelIndex idx = mFilterModel->mapFromSource(mModel->indexOfLayer(layer));
    if (idx.isValid() && mTree->currentIndex() != idx) {
        const QSignalBlocker block(mTree->selectionModel());
        mTree->setCurrentIndex(idx);
        mTree->scrollTo(idx);
    }
}

void LayerBrowser::setFilter(const QString &text, bool regex)
{
    mRegexBox->setChecked(regex);
    mFilterEdit->setText(text);
}

void LayerBrowser::retranslate()
{
    mFilterEdit->setPlaceholderText(tr("Filter layers by name…"));
    mRegexBox->setText(tr("Regex"));
    mModel->retranslate();
}

} // namespace lqer
