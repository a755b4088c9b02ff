#include "schema.h"

namespace lqer::storeschema {

namespace {

// Version 1: models, plans as data (one row per plan plus one per layer setting), sessions,
// runs with a status that makes partial runs recognisable, per-layer results with spectra as
// float32 BLOBs, perplexities with their protocol.
QStringList version1()
{
    return {
        QStringLiteral("CREATE TABLE models ("
                       " id INTEGER PRIMARY KEY,"
                       " path TEXT NOT NULL,"
                       " architecture TEXT NOT NULL,"
                       " fingerprint TEXT NOT NULL,"
                       " parameters INTEGER NOT NULL DEFAULT 0,"
                       " file_bytes INTEGER NOT NULL DEFAULT 0,"
                       " created TEXT NOT NULL,"
                       " UNIQUE (path, fingerprint))"),
        QStringLiteral("CREATE TABLE plans ("
                       " id INTEGER PRIMARY KEY,"
                       " preset TEXT NOT NULL DEFAULT '',"
                       " quantize_attention_matmuls INTEGER NOT NULL DEFAULT 0,"
                       " svd_backend TEXT NOT NULL,"
                       " calib_samples INTEGER NOT NULL,"
                       " calib_seq_len INTEGER NOT NULL,"
                       " calib_text_path TEXT NOT NULL DEFAULT '')"),
        // layer '' holds the plan's defaults, other rows are per-layer overrides.
        QStringLiteral("CREATE TABLE plan_layers ("
                       " plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,"
                       " layer TEXT NOT NULL,"
                       " quantize INTEGER NOT NULL,"
                       " weight_format TEXT NOT NULL,"
                       " act_format TEXT NOT NULL,"
                       " low_rank_format TEXT NOT NULL,"
                       " method TEXT NOT NULL,"
                       " rank INTEGER NOT NULL,"
                       " PRIMARY KEY (plan_id, layer))"),
        QStringLiteral("CREATE TABLE sessions ("
                       " id INTEGER PRIMARY KEY,"
                       " name TEXT NOT NULL,"
                       " model_id INTEGER NOT NULL REFERENCES models(id),"
                       " plan_id INTEGER NOT NULL REFERENCES plans(id),"
                       " stats_path TEXT NOT NULL DEFAULT '',"
                       " stats_fingerprint TEXT NOT NULL DEFAULT '',"
                       " created TEXT NOT NULL,"
                       " modified TEXT NOT NULL)"),
        QStringLiteral("CREATE INDEX sessions_plan ON sessions(plan_id)"),
        // writer: "host:pid:start" of the process writing a running run; heartbeat: its last
        // write. Together they let a later open tell a live writer from a dead one.
        QStringLiteral("CREATE TABLE runs ("
                       " id INTEGER PRIMARY KEY,"
                       " session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,"
                       " kind TEXT NOT NULL,"
                       " status TEXT NOT NULL CHECK (status IN"
                       "  ('running', 'complete', 'cancelled', 'interrupted', 'failed')),"
                       " plan_id INTEGER NOT NULL REFERENCES plans(id),"
                       " started TEXT NOT NULL,"
                       " finished TEXT,"
                       " heartbeat TEXT NOT NULL,"
                       " wall_seconds REAL NOT NULL DEFAULT 0,"
                       " program_version TEXT NOT NULL,"
                       " writer TEXT NOT NULL,"
                       " expected_layers INTEGER NOT NULL DEFAULT 0,"
                       " layer_count INTEGER NOT NULL DEFAULT 0)"),
        QStringLiteral("CREATE INDEX runs_session ON runs(session_id)"),
        QStringLiteral("CREATE INDEX runs_plan ON runs(plan_id)"),
        QStringLiteral("CREATE TABLE run_layers ("
                       " id INTEGER PRIMARY KEY,"
                       " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
                       " position INTEGER NOT NULL,"
                       " layer TEXT NOT NULL,"
                       " method TEXT NOT NULL,"
                       " rank INTEGER NOT NULL,"
                       " in_features INTEGER NOT NULL,"
                       " out_features INTEGER NOT NULL,"
                       " weight_format TEXT NOT NULL,"
                       " quant_error REAL NOT NULL,"
                       " frob_error REAL NOT NULL,"
                       " rel_error REAL NOT NULL,"
                       " mean_abs_error REAL NOT NULL,"
                       " output_error REAL NOT NULL,"
                       " bits REAL NOT NULL,"
                       " seconds REAL NOT NULL,"
                       " alpha REAL NOT NULL,"
                       " sv_error BLOB,"
                       " sv_scaled BLOB,"
                       " extra TEXT NOT NULL DEFAULT '{}',"
                       " UNIQUE (run_id, position),"
                       " UNIQUE (run_id, layer))"),
        QStringLiteral("CREATE TABLE perplexities ("
                       " id INTEGER PRIMARY KEY,"
                       " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
                       " label TEXT NOT NULL,"
                       " text_path TEXT NOT NULL,"
                       " text_fingerprint TEXT NOT NULL,"
                       " window_length INTEGER NOT NULL,"
                       " tokens INTEGER NOT NULL,"
                       " nll REAL NOT NULL,"
                       " perplexity REAL NOT NULL,"
                       " seconds REAL NOT NULL DEFAULT 0)"),
        QStringLiteral("CREATE INDEX perplexities_run ON perplexities(run_id)"),
        QStringLiteral("PRAGMA application_id = %1").arg(kApplicationId),
    };
}

// Version 2: why a run failed (version 1 only said 'failed'), free-text notes on sessions and
// runs, and tags on runs so the browser can group and filter them ("baseline", "paper-table").
QStringList version2()
{
    return {
        QStringLiteral("ALTER TABLE runs ADD COLUMN error TEXT NOT NULL DEFAULT ''"),
        QStringLiteral("ALTER TABLE runs ADD COLUMN notes TEXT NOT NULL DEFAULT ''"),
        QStringLiteral("ALTER TABLE sessions ADD COLUMN notes TEXT NOT NULL DEFAULT ''"),
        QStringLiteral("CREATE TABLE run_tags ("
                       " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
                       " tag TEXT NOT NULL,"
                       " PRIMARY KEY (run_id, tag))"),
        QStringLiteral("CREATE INDEX run_tags_tag ON run_tags(tag)"),
        // Recovery on open looks for running runs: keep that cheap in a large file.
        QStringLiteral("CREATE INDEX runs_status ON runs(status)"),
    };
}

// Version 3: the standard error of every perplexity and its comparison with the FP32 model
// (KL divergence, top-1 agreement, Δppl; NULL when not measured).
QStringList version3()
{
    QStringList s;
    for (const char *column : {"perplexity_error", "kl_mean", "kl_mean_error", "kl_median", "kl_p99",
                               "kl_max", "top1", "top1_error", "base_perplexity", "base_perplexity_error",
                               "delta_perplexity", "delta_perplexity_error"})
        s << QStringLiteral("ALTER TABLE perplexities ADD COLUMN %1 REAL").arg(QLatin1String(column));
    s << QStringLiteral("ALTER TABLE perplexities ADD COLUMN kl_tokens INTEGER");
    return s;
}

// Version 4: a JSON object per run for what it produced besides layers and perplexities (an
// export's format, files, sizes and bits per weight).
QStringList version4()
{
    return {QStringLiteral("ALTER TABLE runs ADD COLUMN details TEXT NOT NULL DEFAULT ''")};
}

} // namespace

int latestVersion()
{
    return 4;
}

QStringList migrationTo(int version)
{
    switch (version) {
    case 1:
        return version1();
    case 2:
        return version2();
    case 3:
        return version3();
    case 4:
        return version4();
    default:
        return {};
    }
}

} // namespace lqer::storeschema
