#pragma once

// The studio's document (ARCHITECTURE.md: "Document owns checkpoint, plan, QUndoStack,
// results"): one opened checkpoint, its quantizable layers, the plan being edited (every edit an
// undo command), the calibration statistics and the results that jobs deliver layer by layer.
// Plain data only: tensors never go on the undo stack (STYLE.md §4), and toJson() is the hook
// the session store serialises.

#include "core/io/checkpoint.h"
#include "core/plan/plan.h"
#include "core/lqer/lqer.h"
#include "core/lqer/statsfile.h"
#include "core/model/architecture.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QUndoStack>

#include <memory>
#include <optional>

namespace lqer {

class Document : public QObject
{
    Q_OBJECT

public:
    // Opens a checkpoint folder (or .safetensors file): headers only, no weights are read.
    // A .gguf model (core/export/ggufmodel.h) opens as a checkpoint of its dequantized weights;
    // `loraPath` is its GGUF LoRA adapter (lqer-lora.gguf), used when it is evaluated.
    static Expected<std::unique_ptr<Document>> open(const QString &path, const QString &loraPath = QString());

    const QString &path() const { return mPath; }
    // A packed LQER checkpoint (core/export/packedmodel.h): its layers and plan come from the
    // packed metadata; it holds codes, not the original weights, so it can be evaluated but not
    // quantized or analysed again.
    bool isPacked() const { return mPacked; }
    // A GGUF model: layer detail and analysis read its dequantized weights, the plan says the
    // formats in the file (q4_0, q8_0, f16; the adapter's rank), and Evaluate runs it as
    // llama.cpp computes it (with the adapter when one was given). It is not exported again.
    bool isGguf() const { return mGguf; }
    const QString &loraPath() const { return mLoraPath; }
    // The stored type of a layer's weight: the ggml type of a GGUF model ("q4_0"), the
    // safetensors dtype otherwise ("F16").
    QString storedType(const QString &weightName) const;
    QString displayName() const;
    std::shared_ptr<const Checkpoint> checkpoint() const { return mCheckpoint; }
    const QList<LinearLayerInfo> &layers() const { return mLayers; }
    const LinearLayerInfo *layer(const QString &weightName) const;
    QStringList layerNames() const;
    double openSeconds() const { return mOpenSeconds; }

    // The plan. setPlan pushes one undo command (described by `text`); applyPlan is what the
    // command itself calls (no new undo entry).
    const Plan &plan() const { return mPlan; }
    void setPlan(const Plan &plan, const QString &text);
    void applyPlan(const Plan &plan);
    // One edit of several layers at once (one undo entry): `edit` changes a copy of each
    // layer's LayerPlan.
    void editLayers(const QStringList &layers, const std::function<void(LayerPlan &)> &edit,
                    const QString &text);
    QUndoStack *undoStack() { return &mUndoStack; }
    // A reopened session: its plan (no undo entry; the undo history starts here) and its stored
    // results replace the document's, in one step.
    void restore(const Plan &plan, const QHash<QString, LayerResult> &results);

    // Calibration statistics (shared with worker threads, never mutated once set).
    std::shared_ptr<const StatsMap> stats() const { return mStats; }
    void setStats(std::shared_ptr<const StatsMap> stats, const QString &source);
    const QString &statsSource() const { return mStatsSource; }

    // Results, delivered by jobs on the GUI thread.
    void setLayerResult(const LayerResult &result);
    const LayerResult *result(const QString &layer) const;
    const QHash<QString, LayerResult> &results() const { return mResults; }
    void clearResults();

    std::optional<double> fp32Perplexity() const { return mFp32Perplexity; }
    std::optional<double> perplexity() const { return mPerplexity; }
    void setFp32Perplexity(double ppl);
    void setPerplexity(double ppl);

    // Σ bits / Σ weights over the layers (NUMERICS §8) and the paper's spreadsheet convention
    // (per layer divided by mn + mk + kn, averaged over layers by count), from the plan alone.
    double modelBitsPerWeight() const;
    double paperBitsPerWeight() const;
    double layerBits(const LinearLayerInfo &layer) const;
    // Circuit area of the design the plan implies, relative to FP16 (core/cost).
    double areaRatio() const;

    // The session hook: checkpoint path + fingerprint, plan, per-layer metrics, perplexities.
    QJsonObject toJson() const;

signals:
    void planChanged();
    void layerResultChanged(const QString &layer);
    void resultsCleared(); // also when results were replaced wholesale (restore)
    void statsChanged();
    void perplexityChanged();

private:
    Document() = default;

    QString mPath;
    bool mPacked = false;
    bool mGguf = false;
    QString mLoraPath;
    QHash<QString, QString> mStoredTypes; // GGUF: weight name -> ggml type name
    std::shared_ptr<const Checkpoint> mCheckpoint;
    QList<LinearLayerInfo> mLayers;
    QHash<QString, int> mLayerIndex;
    Plan mPlan;
    QUndoStack mUndoStack;
    std::shared_ptr<const StatsMap> mStats;
    QString mStatsSource;
    QHash<QString, LayerResult> mResults;
    std::optional<double> mFp32Perplexity;
    std::optional<double> mPerplexity;
    double mOpenSeconds = 0;
};

// One undoable plan edit: the whole plan before and after (plans are small).
class PlanCommand : public QUndoCommand
{
public:
    PlanCommand(Document *document, Plan before, Plan after, const QString &text);
    void undo() override;
    void redo() override;

private:
    Document *mDocument;
    Plan mBefore;
    Plan mAfter;
};

} // namespace lqer
