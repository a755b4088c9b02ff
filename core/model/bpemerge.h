#pragma once

// The merge loop shared by the BPE tokenizers: adjacent symbols are merged in priority order
// (the lowest priority first, the leftmost among equals) until no adjacent pair merges.
// Hugging Face BPE ranks pairs by their line in the merges list; llama2.c by the merged piece's
// score (higher first, so its priority is the negated score). Scanning all pairs for the best one
// after every merge is O(n^2); a heap over a linked list of symbols gives the same order in
// O(n log n), which matters for a whole corpus.

#include <optional>
#include <queue>
#include <vector>

namespace lqer {

struct BpeMerge
{
    double priority = 0; // lower merges first
    int merged = -1; // the symbol that replaces the pair
};

// `pairMerge(left, right)` returns the merge of two adjacent symbols, or nullopt when the pair
// does not merge. Symbols only grow into longer tokens, so a pair of ids never merges into one
// of its own parts.
template<typename PairMerge> void mergeBpeSymbols(std::vector<int> &symbols, const PairMerge &pairMerge)
{
    const int n = int(symbols.size());
    if (n < 2)
        return;
    struct Candidate
    {
        double priority;
        int pos, left, right, merged;
        // The heap's "less": a candidate that should merge later ranks lower.
        bool operator<(const Candidate &o) const
        {
            return priority != o.priority ? priority > o.priority : pos > o.pos;
        }
    };
    std::vector<int> next(static_cast<size_t>(n)), prev(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
        next[size_t(i)] = i + 1 < n ? i + 1 : -1;
        prev[size_t(i)] = i - 1;
    }
    std::priority_queue<Candidate> queue;
    auto push = [&](int pos) {
        if (pos < 0 || next[size_t(pos)] < 0)
            return;
        const int left = symbols[size_t(pos)];
        const int right = symbols[size_t(next[size_t(pos)])];
        if (const std::optional<BpeMerge> m = pairMerge(left, right))
            queue.push(Candidate {m->priority, pos, left, right, m->merged});
    };
    for (int i = 0; i + 1 < n; ++i)
        push(i);
    while (!queue.empty()) {
        const Candidate c = queue.top();
        queue.pop();
        const int r = next[size_t(c.pos)];
        // Stale when either side has changed since the candidate was queued (ids only grow
        // into longer tokens, so equal ids mean the same pair).
        if (symbols[size_t(c.pos)] != c.left || r < 0 || symbols[size_t(r)] != c.right)
            continue;
        symbols[size_t(c.pos)] = c.merged;
        symbols[size_t(r)] = -1;
        next[size_t(c.pos)] = next[size_t(r)];
        if (next[size_t(r)] >= 0)
            prev[size_t(next[size_t(r)])] = c.pos;
        push(prev[size_t(c.pos)]);
        push(c.pos);
    }
    int w = 0;
    for (int i = 0; i < n; ++i)
        if (symbols[size_t(i)] >= 0)
            symbols[size_t(w++)] = symbols[size_t(i)];
    symbols.resize(size_t(w));
}

} // namespace lqer
