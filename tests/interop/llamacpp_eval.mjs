// Scores token windows with llama.cpp (node-llama-cpp's prebuilt CPU binaries) and prints one
// JSON line: {"NAME": {"perplexity", "nll", "scored", "windows"}, ..., "tokenize"?: {...}}.
//
//   node llamacpp_eval.mjs --run NAME=model.gguf[,lqer-lora.gguf] [--run ...] --tokens ids.json
//        --window L --windows N [--text sample.txt --text-tokens ids.json]
//
// All runs share one process (loading llama.cpp costs seconds). The text is tokenized with the
// first run's model.
// The windows are those of `lqer eval` (NUMERICS §7): non-overlapping windows of L tokens from
// the start of ids.json, tokens 2..L of each scored given the earlier ones. Each window starts
// from an empty KV cache. With --text, llama.cpp tokenizes the file (with the model's BOS) and
// the result is compared with --text-tokens (our tokenizer's ids).
//
// Exit codes: 0 done, 1 error, 77 node-llama-cpp is not installed (the CTest skips).
import fs from "node:fs";
import path from "node:path";
import {createRequire} from "node:module";

function arg(name, fallback) {
    const i = process.argv.indexOf("--" + name);
    return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const toolsDir = process.env.LQER_NODE_TOOLS;
let nodeLlamaCpp;
try {
    const require = createRequire(path.join(toolsDir ?? ".", "package.json"));
    nodeLlamaCpp = await import(require.resolve("node-llama-cpp"));
} catch (e) {
    console.log(`SKIP: node-llama-cpp is not installed in ${toolsDir} (run scripts/install-deps.sh): ${e.message}`);
    process.exit(77);
}

const runs = [];
for (let i = 0; i < process.argv.length; ++i)
    if (process.argv[i] === "--run") {
        const [name, files] = process.argv[i + 1].split(/=(.*)/s);
        const [modelPath, loraPath] = files.split(",");
        runs.push({name, modelPath, loraPath});
    }
const windowLength = Number(arg("window", "512"));
const windows = Number(arg("windows", "4"));
const ids = JSON.parse(fs.readFileSync(arg("tokens"), "utf8"));
if (ids.length < windowLength * windows)
    throw new Error(`${ids.length} tokens are fewer than ${windows} windows of ${windowLength}`);

const llama = await nodeLlamaCpp.getLlama({gpu: false, build: "never", logLevel: "error"});

// log p(next) = logit(next) - max logit - log Σ exp(logit - max logit): llama.cpp returns the
// logit of the asked token and of the top one (includeTop: 1; includeMax returned only the
// asked token in node-llama-cpp 3.22) and the sum (totalLogitWeight), so no vocabulary-sized
// map crosses into JavaScript per position.
function logProbOf(next, token) {
    const own = next.logits.get(token);
    if (own === undefined) throw new Error(`no logit for token ${token}`);
    const max = Math.max(...next.logits.values());
    return own - max - Math.log(next.totalLogitWeight);
}

async function score(sequence) {
    let nll = 0;
    let scored = 0;
    for (let w = 0; w < windows; ++w) {
        const win = ids.slice(w * windowLength, (w + 1) * windowLength);
        await sequence.clearHistory();
        const input = win.map((t, i) =>
            i + 1 < win.length
                ? [t, {generateNext: {logits: {filter: {tokens: [win[i + 1]], includeTop: 1}}, totalLogitWeight: true}}]
                : t);
        const out = await sequence.controlledEvaluate(input);
        for (let i = 0; i + 1 < win.length; ++i) {
            const next = out[i]?.next;
            if (!next?.logits || !(next.totalLogitWeight > 0)) throw new Error(`window ${w}: no logits at position ${i}`);
            nll -= logProbOf(next, win[i + 1]);
            ++scored;
        }
    }
    return {perplexity: Math.exp(nll / scored), nll, scored, windows};
}

const result = {};
for (const run of runs) {
    const model = await llama.loadModel({modelPath: run.modelPath, gpuLayers: 0});
    const context = await model.createContext({
        contextSize: windowLength,
        batchSize: windowLength,
        sequences: 1,
        threads: Number(process.env.LQER_LLAMA_THREADS ?? 2),
        ...(run.loraPath ? {lora: {adapters: [{filePath: run.loraPath, scale: 1}]}} : {}),
    });
    result[run.name] = await score(context.getSequence());
    if (run === runs[0] && arg("text")) result.tokenize = tokenizeCheck(model);
    await context.dispose();
    await model.dispose();
}
console.log(JSON.stringify(result));

// llama.cpp's tokens of the text (with the model's BOS) against ours.
function tokenizeCheck(model) {
    const textPath = arg("text");
    const expected = JSON.parse(fs.readFileSync(arg("text-tokens"), "utf8"));
    const text = fs.readFileSync(textPath, "utf8").replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
    const got = Array.from(model.tokenize(text, false));
    const result = {};
    if (model.tokens.shouldPrependBosToken && model.tokens.bos != null) got.unshift(model.tokens.bos);
    let firstDiff = -1;
    for (let i = 0; i < Math.max(got.length, expected.length); ++i)
        if (got[i] !== expected[i]) { firstDiff = i; break; }
    result.tokenizeEqual = firstDiff < 0;
    result.textTokens = got.length;
    if (firstDiff >= 0) result.firstDifference = {index: firstDiff, llamacpp: got[firstDiff], ours: expected[firstDiff]};
    return result;
}
