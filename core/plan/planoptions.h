#pragma once

// What a user can say about a plan in a few words (the command line's options, a plan bar),
// and the one rule that turns it into a Plan:
//
//   1. The base is the plan file when one is given, else the preset (defaultPreset() when
//      none is named). It gives the defaults, the per-layer overrides, the calibration
//      settings and the plan-wide switches. A preset and a plan file are exclusive.
//   2. Each layer option that is set (method, rank, weight, act, low-rank) replaces that field
//      in the defaults AND in every override. An override keeps the fields no option names
//      (a layer kept in fp32 stays in fp32, a layer at 8 bits keeps its 8 bits under --rank).
//   3. A plain layer has rank 0, whatever rank is asked for. A layer given a low-rank method
//      while its rank is 0 (a plain preset) gets kDefaultRank, unless a rank is given too.
//   4. Plan-wide options replace their field: the SVD backend, the calibration samples and
//      length; attention matmuls are turned on when asked for (never turned off).
//   5. Setting any layer option clears the preset name: the plan is no longer that preset.
//
// Options left unset keep what the base says, so the empty PlanOptions gives the default
// preset as it is.

#include "core/common/expected.h"
#include "core/plan/plan.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace lqer {

struct PlanOptions
{
    // The rank a low-rank method gets on a layer that had none (the paper's k).
    static constexpr int kDefaultRank = 32;
    // The preset used when neither a preset nor a plan file is named.
    static QString defaultPreset(); // "paper-w4a8"
    // The presets a user can name (Plan::presetNames()), each with its one-line description.
    static QStringList presetNames();
    static QString presetDescription(const QString &name);

    QString preset; // empty: defaultPreset(), unless planFile is set
    QString planFile; // a plan JSON file (Plan::toJson())
    std::optional<Method> method;
    std::optional<int> rank;
    std::optional<QuantFormat> weight;
    std::optional<QuantFormat> act;
    std::optional<QuantFormat> lowRank;
    std::optional<SvdBackend> svd;
    bool attentionMatmuls = false;
    std::optional<int> calibrationSamples;
    std::optional<int> calibrationSeqLen; // 0: the caller's default length

    // Any of method, rank, weight, act, low-rank is set.
    bool changesLayers() const;
    // Something is said about what to quantize: a base is named, or a layer option, the SVD
    // backend or attention matmuls are set. The calibration settings alone do not count (they
    // say how to calibrate, not what to quantize).
    bool isSet() const;

    // Ranges and exclusions; the message names the field.
    Status validate() const;
    // The base of rule 1: the plan file or the preset, unchanged.
    Expected<Plan> base() const;
    // Rules 2-5 on `plan` (which needs no validation of its own).
    void applyTo(Plan &plan) const;
    // validate(), base(), applyTo(): the plan the options describe.
    Expected<Plan> toPlan() const;
};

// `plan` with `method` on the defaults and on every override, ranks by rule 3 (a plain layer
// rank 0, a low-rank one with rank 0 kDefaultRank). The preset name is kept: used to run one
// plan with each method in turn.
Plan withMethod(Plan plan, Method method);

// A plan JSON file; errors name the file.
Expected<Plan> readPlanFile(const QString &path);

} // namespace lqer
