#include "app/studio/planeditor.h"

#include "core/plan/planoptions.h"

#include <QComboBox>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

namespace lqer {

namespace {

// Combo boxes for the columns that take one of a few values.
class PlanDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const override
    {
        QStringList items;
        switch (index.column()) {
        case PlanTableModel::Method_:
            for (const QString &m : methodNames())
                items << m;
            break;
        case PlanTableModel::ActFormat:
            items = {QStringLiteral("mxint8_e8_b16"), QStringLiteral("mxint6_e8_b16"),
                     QStringLiteral("mxint4_e8_b16"), QStringLiteral("int8_g128_sym"),
                     QStringLiteral("q8_0"),          QStringLiteral("none")};
            break;
        case PlanTableModel::WeightFormat:
            items = {QStringLiteral("MXINT"), QObject::tr("INT sym"), QObject::tr("INT asym"),
                     QStringLiteral("q4_0"),  QStringLiteral("q8_0"), QStringLiteral("f16"),
                     QObject::tr("none (fp)")};
            break;
        default:
            return QStyledItemDelegate::createEditor(parent, option, index);
        }
        auto *box = new QComboBox(parent);
        box->addItems(items);
        box->setEditable(index.column() == PlanTableModel::ActFormat);
        return box;
    }
    void setEditorData(QWidget *editor, const QModelIndex &index) const override
    {
        if (auto *box = qobject_cast<QComboBox *>(editor)) {
            const QString v = index.data(Qt::EditRole).toString();
            const int i = box->findText(v);
            if (i >= 0)
                box->setCurrentIndex(i);
            else
                box->setEditText(v);
            return;
        }
        QStyledItemDelegate::setEditorData(editor, index);
    }
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override
    {
        if (auto *box = qobject_cast<QComboBox *>(editor)) {
            model->setData(index, box->currentText(), Qt::EditRole);
            return;
        }
        QStyledItemDelegate::setModelData(editor, model, index);
    }
};

} // namespace

PlanEditor::PlanEditor(QWidget *parent)
    : QWidget(parent)
    , mModel(new PlanTableModel(this))
    , mTable(new QTableView(this))
    , mPresetBox(new QComboBox(this))
    , mPresetButton(new QPushButton(this))
    , mMethodBox(new QComboBox(this))
    , mRankSpin(new QSpinBox(this))
    , mBitsSpin(new QSpinBox(this))
    , mBlockSpin(new QSpinBox(this))
    , mActBox(new QComboBox(this))
    , mApplySelected(new QPushButton(this))
    , mApplyAll(new QPushButton(this))
    , mPresetLabel(new QLabel(this))
    , mMethodLabel(new QLabel(this))
    , mRankLabel(new QLabel(this))
    , mBitsLabel(new QLabel(this))
    , mBlockLabel(new QLabel(this))
    , mActLabel(new QLabel(this))
    , mDescription(new QLabel(this))
{
    mTable->setModel(mModel);
    mTable->setItemDelegate(new PlanDelegate(mTable));
    mTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    mTable->setSelectionMode(QAbstractItemView::ExtendedSelection);
    mTable->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                            | QAbstractItemView::SelectedClicked);
    mTable->verticalHeader()->setDefaultSectionSize(22);
    mTable->verticalHeader()->hide();
    mTable->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    mTable->horizontalHeader()->setDefaultSectionSize(95);
    mTable->horizontalHeader()->setSectionResizeMode(PlanTableModel::Layer, QHeaderView::Stretch);
    mTable->setAlternatingRowColors(true);
    mModel->setSelectionProvider([this] { return selectedLayers(); });

    for (const QString &name : PlanOptions::presetNames())
        mPresetBox->addItem(name, name);
    for (const QString &m : methodNames())
        mMethodBox->addItem(methodDisplayName(*methodFromName(m)), m);
    mRankSpin->setRange(0, 4096);
    mRankSpin->setValue(32);
    mBitsSpin->setRange(2, 8);
    mBitsSpin->setValue(4);
    mBlockSpin->setRange(1, 4096);
    mBlockSpin->setValue(16);
    mActBox->addItems(
        {QStringLiteral("mxint8_e8_b16"), QStringLiteral("mxint6_e8_b16"), QStringLiteral("none")});
    mMethodBox->setCurrentIndex(mMethodBox->findData(methodName(Method::L2Qer)));
    mPresetLabel->setBuddy(mPresetBox);
    mMethodLabel->setBuddy(mMethodBox);
    mRankLabel->setBuddy(mRankSpin);
    mBitsLabel->setBuddy(mBitsSpin);
    mBlockLabel->setBuddy(mBlockSpin);
    mActLabel->setBuddy(mActBox);
    mDescription->setStyleSheet(QStringLiteral("color: #555;"));
    mDescription->setWordWrap(true);

    auto *form = new QHBoxLayout;
    form->addWidget(mPresetLabel);
    form->addWidget(mPresetBox);
    form->addWidget(mPresetButton);
    form->addSpacing(16);
    for (QWidget *w :
         std::initializer_list<QWidget *> {mMethodLabel, mMethodBox, mRankLabel, mRankSpin, mBitsLabel,
                                           mBitsSpin, mBlockLabel, mBlockSpin, mActLabel, mActBox})
        form->addWidget(w);
    form->addSpacing(8);
    form->addWidget(mApplySelected);
    form->addWidget(mApplyAll);
    form->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(form);
    layout->addWidget(mDescription);
    layout->addWidget(mTable, 1);

    connect(mPresetButton, &QPushButton::clicked, this,
            [this] { applyPreset(mPresetBox->currentData().toString()); });
    connect(mPresetBox, &QComboBox::currentIndexChanged, this, [this] {
        mDescription->setText(PlanOptions::presetDescription(mPresetBox->currentData().toString()));
    });
    connect(mApplySelected, &QPushButton::clicked, this, [this] { applyForm(selectedLayers()); });
    connect(mApplyAll, &QPushButton::clicked, this, [this] {
        if (mDocument)
            applyForm(mDocument->layerNames());
    });
    connect(mTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { emit currentLayerChanged(mModel->layerAt(current.row())); });
    retranslate();
    mDescription->setText(PlanOptions::presetDescription(mPresetBox->currentData().toString()));
}

void PlanEditor::retranslate()
{
    mPresetLabel->setText(tr("&Preset:"));
    mPresetButton->setText(tr("Apply preset"));
    mPresetButton->setToolTip(tr("Replace the whole plan by the preset (undoable)"));
    mMethodLabel->setText(tr("&Method:"));
    mRankLabel->setText(tr("&Rank k:"));
    mBitsLabel->setText(tr("W &bits:"));
    mBlockLabel->setText(tr("B&lock:"));
    mActLabel->setText(tr("&Activations:"));
    mApplySelected->setText(tr("Apply to &selected"));
    mApplyAll->setText(tr("Apply to a&ll"));
    mApplySelected->setToolTip(
        tr("Set method, rank, weight bits, block and activation format of the selected layers"));
    mApplyAll->setToolTip(tr("Set method, rank, weight bits, block and activation format of every layer"));
}

void PlanEditor::setDocument(Document *document)
{
    mDocument = document;
    mModel->setDocument(document);
    mApplySelected->setEnabled(document != nullptr);
    mApplyAll->setEnabled(document != nullptr);
    mPresetButton->setEnabled(document != nullptr);
    if (document) {
        connect(document, &Document::planChanged, this, &PlanEditor::syncPresetBox);
        syncPresetBox();
        syncFormToDefaults();
    }
}

void PlanEditor::syncFormToDefaults()
{
    const LayerPlan &d = mDocument->plan().defaults;
    const QSignalBlocker b1(mMethodBox), b2(mRankSpin), b3(mBitsSpin), b4(mBlockSpin), b5(mActBox);
    mMethodBox->setCurrentIndex(mMethodBox->findData(methodName(d.method)));
    mRankSpin->setValue(d.rank);
    mBitsSpin->setValue(d.weight.bits);
    mBlockSpin->setValue(d.weight.block);
    const QString act = d.act.toString();
    if (mActBox->findText(act) < 0)
        mActBox->addItem(act);
    mActBox->setCurrentText(act);
}

void PlanEditor::syncPresetBox()
{
    const int i = mPresetBox->findData(mDocument->plan().preset);
    if (i >= 0) {
        const QSignalBlocker block(mPresetBox);
        mPresetBox->setCurrentIndex(i);
        mDescription->setText(PlanOptions::presetDescription(mPresetBox->currentData().toString()));
    }
}

QStringList PlanEditor::selectedLayers() const
{
    QStringList out;
    const QModelIndexList rows = mTable->selectionModel()->selectedRows();
    for (const QModelIndex &i : rows)
        out << mModel->layerAt(i.row());
    return out;
}

void PlanEditor::selectLayer(const QString &layer)
{
    if (!mDocument)
        return;
    const int row = int(mDocument->layerNames().indexOf(layer));
    if (row < 0)
        return;
    const QModelIndex index = mModel->index(row, 0);
    mTable->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    mTable->scrollTo(index);
}

void PlanEditor::applyForm(const QStringList &layers)
{
    if (!mDocument || layers.isEmpty())
        return;
    const Method method = *methodFromName(mMethodBox->currentData().toString());
    const int rank = mRankSpin->value();
    const int bits = mBitsSpin->value();
    const int block = mBlockSpin->value();
    auto act = QuantFormat::parse(mActBox->currentText());
    const QuantFormat actFormat = act ? *act : QuantFormat::none();
    mDocument->editLayers(
        layers,
        [=](LayerPlan &lp) {
            lp.method = method;
            lp.rank = method == Method::Plain ? 0 : rank;
            lp.weight.bits = bits;
            lp.weight.block = block;
            lp.act = actFormat;
        },
        tr("Set %1 k=%2 W%3 B%4 on %n layer(s)", nullptr, int(layers.size()))
            .arg(methodDisplayName(method))
            .arg(rank)
            .arg(bits)
            .arg(block));
}

void PlanEditor::applyPreset(const QString &name)
{
    if (!mDocument)
        return;
    // The same rule as the command line's --preset (PlanOptions): the preset as it is.
    PlanOptions options;
    options.preset = name;
    auto plan = options.toPlan();
    if (!plan)
        return;
    mDocument->setPlan(*plan, tr("Apply preset %1").arg(name));
    syncFormToDefaults();
}

void PlanEditor::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

} // namespace lqer
