<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
    <context>
        <name>ActivationView</name>
        <message>
            <location filename="../app/studio/views/activationview.h" line="20" />
            <source>Activations</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>AnalyzeSelectedJob</name>
        <message>
            <location filename="../app/studio/jobkinds/analyzeselected.cpp" line="19" />
            <source>Analyze selected</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/analyzeselected.cpp" line="28" />
            <source>Nothing to analyze</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/analyzeselected.cpp" line="28" />
            <source>No layer is selected.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/analyzeselected.cpp" line="29" />
            <source>Select layers in the layer list or the plan table, or use Jobs &gt; Quantize model.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../app/studio/jobkinds/analyzeselected.cpp" line="33" />
            <source>Analyze %n layer(s)</source>
            <translation type="unfinished">
                <numerusform />
                <numerusform />
            </translation>
        </message>
    </context>
    <context>
        <name>BlockExplorerView</name>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="45" />
            <source>“%1” is not a number</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="49" />
            <source>type the values of a block</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="165" />
            <source>Block of the current layer</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="166" />
            <source>Typed values</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="167" />
            <source>row </source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="168" />
            <source>block </source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="169" />
            <source>Values separated by spaces, e.g. 1.0 0.5 -0.25 0.75</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="170" />
            <source>MXINT (shared exponent)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="171" />
            <source>INT symmetric (scale)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="172" />
            <source>INT asymmetric (scale, zero point)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="173" />
            <source>Table: official exponent (ceil)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="174" />
            <source>Table: OCP exponent (floor)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="175" />
            <source>#</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="175" />
            <source>Value x</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="175" />
            <source>x / step</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="175" />
            <source>Code</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="175" />
            <source>Bits</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="176" />
            <source>Reconstructed x̂</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="176" />
            <source>Error x̂ − x</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="177" />
            <source>Yellow: a tie, rounded to the even code. Red: clipped to the largest code.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="305" />
            <source>width %1 bits</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="306" />
            <source>block %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="311" />
            <source>(select a layer)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="428" />
            <source>Open a model and select a layer, or type the values of a block.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="434" />
            <source>%1: %2 values, largest magnitude %3</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="439" />
            <source>%1: E = %2 = %3, one step = %4, %5 clipped</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="446" />
            <source>&lt;b&gt;Official exponent&lt;/b&gt;</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="447" />
            <source>⌈log₂ %1⌉</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="448" />
            <source>&lt;b&gt;OCP exponent&lt;/b&gt;</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="448" />
            <source>⌊log₂ %1⌋</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="450" />
            <source>&lt;b&gt;Scale&lt;/b&gt; (fp16) = %1 / %2 = %3; codes %4..%5</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="457" />
            <source>&lt;b&gt;Scale&lt;/b&gt; (fp16) = (max − min) / %1 = %2; &lt;b&gt;zero point&lt;/b&gt; = %3; codes %4..%5</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="464" />
            <source>Ties rounded to even: %1 · block MSE %2 · layer MSE %3 · &lt;b&gt;%4 bits per weight&lt;/b&gt;</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="467" />
            <source>—</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.h" line="43" />
            <source>Block explorer</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>CalibrateJobKind</name>
        <message>
            <location filename="../app/studio/jobkinds/calibrate.cpp" line="24" />
            <source>Calibrate</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/calibrate.cpp" line="35" />
            <source>Calibration text</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/calibrate.cpp" line="36" />
            <source>Text (*.txt);;All files (*)</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>CompareView</name>
        <message>
            <location filename="../app/studio/views/compareview.h" line="22" />
            <source>Compare runs</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>CostView</name>
        <message>
            <location filename="../app/studio/views/costview.cpp" line="49" />
            <source>Running estimate over %1 of %2 windows</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/costview.h" line="21" />
            <source>Cost</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>EvaluateJobKind</name>
        <message>
            <location filename="../app/studio/jobkinds/evaluate.cpp" line="24" />
            <source>Evaluate perplexity</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/evaluate.cpp" line="31" />
            <source>No evaluation text is set.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/evaluate.cpp" line="31" />
            <source>Pass --eval-text FILE.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/evaluate.cpp" line="35" />
            <source>Evaluation text</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/evaluate.cpp" line="36" />
            <source>Text (*.txt *.raw);;All files (*)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/evaluate.cpp" line="84" />
            <source>Perplexity %1 ± %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/evaluate.cpp" line="87" />
            <source>KL from FP32 %1 (p99 %2), top-1 agreement %3 %, Δppl %4 ± %5</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>HeatmapView</name>
        <message>
            <location filename="../app/studio/views/heatmapview.h" line="21" />
            <source>Error heatmap</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>LayerDetailJobKind</name>
        <message>
            <location filename="../app/studio/jobkinds/layerdetail.cpp" line="20" />
            <source>Layer detail</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>LayerErrorView</name>
        <message>
            <location filename="../app/studio/views/layererrorview.cpp" line="48" />
            <source>Sort by error</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/layererrorview.cpp" line="49" />
            <location filename="../app/studio/views/layererrorview.cpp" line="66" />
            <source>Mean absolute error eₐ</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/layererrorview.cpp" line="50" />
            <source>Relative error ‖E−Ẽ‖/‖W‖</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/layererrorview.cpp" line="66" />
            <source>Relative error ‖E−Ẽ‖_F / ‖W‖_F</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/layererrorview.cpp" line="68" />
            <source>Wq only (plain)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/layererrorview.cpp" line="69" />
            <source>Wq + AB</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/layererrorview.cpp" line="84" />
            <source>Wq + AB (%1)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/layererrorview.h" line="24" />
            <source>Per-layer error</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Lessons</name>
        <message>
            <location filename="../app/studio/lessons.cpp" line="156" />
            <source>Lesson: method and rank</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="193" />
            <source>Lesson: a short calibration</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="209" />
            <source>The block explorer shows no block yet.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="243" />
            <source>Select a layer first.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="255" />
            <location filename="../app/studio/lessons.cpp" line="265" />
            <source>Run the calibration first (Try this).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="319" />
            <source>1. Number formats</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="321" />
            <source>A block of real weights</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="322" />
            <source>These are 16 consecutive weights of one row of a real layer, along the input dimension. MXINT stores one shared exponent E per block and a small integer code per weight. E comes from the largest magnitude: E = ⌈log₂ max|x|⌉. One code step is worth 2^(E−(w−1)); each weight becomes the nearest code.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="328" />
            <source>Show the next block</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="334" />
            <source>What shared exponent E (official, ceil) does the block shown get?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="338" />
            <source>Two ways to pick the exponent</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="339" />
            <source>The official LQER code rounds the exponent up (ceil); the OCP MX standard rounds it down (floor) and uses two's complement codes. With ceil, a block whose largest value is an exact power of two loses it: 1.0 needs code 8, but 4 bits hold at most 7, so 1.0 is clipped to 0.875 (red).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="344" />
            <source>Show the OCP (floor) exponent</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="347" />
            <source>Round half to even</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="348" />
            <source>When a value lies exactly halfway between two codes (yellow), the official code rounds to the even one: 4.5 → 4, 1.5 → 2, 2.5 → 2, 0.5 → 0. Half the ties go down and half go up, so rounding adds no bias. OCP rounds ties away from zero instead.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="353" />
            <source>Compare with OCP rounding</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="356" />
            <source>Width and block size</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="357" />
            <source>Move the sliders. More bits per code shrink the error fast; a larger block shares one 8-bit exponent among more weights, so it costs fewer bits (w + 8/B per weight) but the largest value of the block decides the step for all of them. The layer MSE is measured over every block of the layer.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="362" />
            <source>Try 8 bits, block 32</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="369" />
            <source>How many bits per weight does MXINT4 with block 32 cost (8-bit shared exponent)?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="374" />
            <source>Integers with a scale and a zero point</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="375" />
            <source>INT formats store an fp16 scale per group instead of an exponent. Symmetric: scale = max|x| / (2^(b−1) − 1), codes around 0. Asymmetric (GPTQ, AWQ): the codes 0..2^b − 1 cover [min, max], and the zero point is the code that stands for 0.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="380" />
            <source>Switch to symmetric</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="383" />
            <source>What is the zero point of the block shown in INT4 asymmetric?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="393" />
            <source>2. Why the plain error is not low rank</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="395" />
            <source>The quantization error E</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="396" />
            <source>The heatmap starts with |W|, the layer's weights. Wq is what the format stores, and E = W − Wq is what quantization loses. Step through W, Wq, E and E − AB: W and Wq look alike, while E looks like noise, because every block rounds on its own, so neighbouring errors are nearly independent.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="402" />
            <source>Show the next heatmap (W, Wq, E, E − AB)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="414" />
            <source>σ(E) against white noise</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="415" />
            <source>The singular values of E (LQER) lie close to the Marchenko–Pastur curve: the spectrum of white noise of the same shape and energy. Noise has no dominant directions, so a few singular vectors capture little of it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="426" />
            <source>What percentage of ‖E‖² do the top 32 singular values of %1 hold?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="430" />
            <source>The rank slider</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="431" />
            <source>Move the rank k. The heatmap shows the residual E − AB; the energy captured grows only slowly with k, because the error has no low-rank structure to find.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="447" />
            <source>3. What activations change (L²QER)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="449" />
            <source>Activation magnitudes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="450" />
            <source>Run a short calibration: the model reads a few samples and records, for every input channel of every layer, the mean |x|. Some channels can be far louder than the rest (red circles); an error in their weights matters more. The scale s that L²QER derives from them is on the right axis.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="456" />
            <source>Run the calibration</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="458" />
            <source>Which input channel of %1 has the largest mean |x| in the calibration (its index)?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="462" />
            <source>S reweights the error</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="463" />
            <source>L²QER scales E by S = diag(s) from the activation magnitudes before the SVD, so the SVD spends its rank where the loud channels are. Compare the first singular values of σ(SE) and σ(αE) at equal energy, and the share of the energy rank k captures for each: the stronger the outlier channels, the larger the gap (large LLMs show much more of it than this small model).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="476" />
            <source>LQER, L²QER and QERA on one layer</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="477" />
            <source>The spectrum shows the three methods on the same layer at equal energy: LQER (no scaling), L²QER (mean |x|) and QERA (root mean square of x). The scaled methods concentrate the error that matters into the first singular values.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="487" />
            <source>Which layer of block 3 has the largest relative weight error ‖E − AB‖/‖W‖ with L²QER at k = 16?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="498" />
            <source>4. Cost</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="500" />
            <source>Bits per weight</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="501" />
            <source>Every weight costs its code plus its share of the block's exponent, and the low-rank factors A and B add k(m + n) values per layer. Apply the W2A8 k=256 plan to see the rank's share grow.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="505" />
            <source>Apply W2A8 k=256</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="508" />
            <source>How many bits per weight (Σ bits / Σ weights) does the current plan cost?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="512" />
            <source>Circuit area</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="513" />
            <source>A processing element for MXINT needs small integer multipliers and one exponent adder per block instead of FP16 units. The paper's Table III: FP16 1×, GPTQ/AWQ INT4 w-only 13.99×, L²QER-MXINT W4A8 0.33×, W4A6 0.23×. The cost view shows the area of your plan's design.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="518" />
            <source>Apply W4A6</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="521" />
            <source>What circuit area relative to FP16 does the current plan's design need?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="531" />
            <source>5. The whole model</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="533" />
            <source>Perplexity against rank</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="534" />
            <source>The rank sweep quantizes the whole model at k = 0, 4, 8 … 128 and measures perplexity on held-out text. The first ranks help most; beyond some k the curve flattens while the cost keeps growing.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="538" />
            <source>Run the rank sweep (2 windows)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="545" />
            <source>A budget of bits</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="546" />
            <source>Rank is a budget: the bits spent on A and B could go to wider codes instead. The layer error chart shows which layers profit most from k, so a plan can give them a larger rank and the others none.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="550" />
            <source>Quantize the whole model</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="553" />
            <source>How many bits per weight does rank 32 add to this model with the current formats?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="396" />
            <source>E = W − Wq is what quantization loses. Its heatmap looks like noise: every block rounds on its own, so neighbouring errors are nearly independent.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="399" />
            <source>Show E − AB after rank 32</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>LoadStatisticsJob</name>
        <message>
            <location filename="../app/studio/jobkinds/loadstatistics.cpp" line="26" />
            <location filename="../app/studio/jobkinds/loadstatistics.cpp" line="32" />
            <source>Load calibration statistics</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/loadstatistics.cpp" line="34" />
            <source>Statistics (*.safetensors);;All files (*)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/loadstatistics.cpp" line="46" />
            <source>Cannot load statistics</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/loadstatistics.cpp" line="47" />
            <source>Choose a statistics file written by "lqer calibrate" for this model.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/loadstatistics.cpp" line="55" />
            <source>Cannot use statistics</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/loadstatistics.cpp" line="56" />
            <source>%1 has no statistics for any layer of this model.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/loadstatistics.cpp" line="57" />
            <source>Calibrate this model (Jobs &gt; Calibrate) or choose the statistics of the same model.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/loadstatistics.cpp" line="62" />
            <source>Loaded statistics for %1 of %2 layers from %3</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>MeasureSensitivityJob</name>
        <message>
            <location filename="../app/studio/jobkinds/measuresensitivity.cpp" line="66" />
            <source>Measure sensitivity</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/measuresensitivity.cpp" line="73" />
            <source>The Rank explorer has no curves.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/measuresensitivity.cpp" line="74" />
            <source>Compute or load the curves first.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/measuresensitivity.cpp" line="78" />
            <source>The sensitivity needs the model&apos;s own weights.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/measuresensitivity.cpp" line="79" />
            <source>Open the Hugging Face checkpoint folder of the model.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/measuresensitivity.cpp" line="84" />
            <source>Give windows=N;length=L;ranks=0|1;layers=….</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/measuresensitivity.cpp" line="90" />
            <source>No evaluation text is set.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/measuresensitivity.cpp" line="91" />
            <source>Run Jobs &gt; Evaluate perplexity once and choose the text file.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>PredictCurvesJob</name>
        <message>
            <location filename="../app/studio/jobkinds/predictcurves.cpp" line="82" />
            <source>Predict rank curves</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/predictcurves.cpp" line="88" />
            <source>The curves need the model&apos;s own weights.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/predictcurves.cpp" line="89" />
            <source>Open the Hugging Face checkpoint folder of the model.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/predictcurves.cpp" line="94" />
            <source>Give bits=…;ranks=… or formats=…;ranks=….</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/predictcurves.cpp" line="108" />
            <source>The curves use LQER: %1 needs calibration statistics (Jobs &gt; Calibrate or File &gt; Load statistics).</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>QObject</name>
        <message>
            <location filename="../app/studio/document.cpp" line="27" />
            <source>%1: the packed checkpoint has no quantized layers</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/document.cpp" line="44" />
            <location filename="../app/studio/script.cpp" line="180" />
            <source>%1: %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/document.cpp" line="46" />
            <source>%1 has no quantizable linear layers (decoder-block linears of a supported architecture)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/evaljobs.cpp" line="50" />
            <source>Loading %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/evaljobs.cpp" line="92" />
            <source>The evaluation text has %1 tokens, fewer than one window of %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/evaljobs.cpp" line="113" />
            <source>Window %1 of %2, perplexity so far %3</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/evaljobs.cpp" line="200" />
            <source>%1 is too short for one calibration sample of %2 tokens</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/evaljobs.cpp" line="216" />
            <source>Calibration sample %1 of %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/evaljobs.cpp" line="228" />
            <source>Calibrated, but the statistics could not be saved for the session: %1</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../app/studio/jobs.cpp" line="30" />
            <source>%n layer(s) need calibration statistics and were analysed with LQER instead: run Jobs &gt; Calibrate or File &gt; Load statistics.</source>
            <translation type="unfinished">
                <numerusform />
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../app/studio/jobs.cpp" line="137" />
            <source>No calibration statistics for this layer: showing LQER only.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobs.cpp" line="162" />
            <source>LQER: σ(αE)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobs.cpp" line="163" />
            <source>L²QER: σ(SE)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobs.cpp" line="169" />
            <source>%1: σ(SE), same energy</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobs.cpp" line="172" />
            <source>LQER: σ(E)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobs.cpp" line="200" />
            <source>Decomposing %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobs.cpp" line="204" />
            <source>Decomposed %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="33" />
            <location filename="../app/studio/planeditor.cpp" line="44" />
            <source>none (fp)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="37" />
            <location filename="../app/studio/planeditor.cpp" line="42" />
            <source>INT sym</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="39" />
            <location filename="../app/studio/planeditor.cpp" line="42" />
            <source>INT asym</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/main.cpp" line="39" />
            <source>LQER Studio: post-training quantization with low-rank error reconstruction</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="33" />
            <source>Checkpoint folder to open</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="36" />
            <source>Load calibration statistics from &lt;file&gt;.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="38" />
            <source>Run the calibration job.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="39" />
            <source>Quantize the whole model with the plan.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="40" />
            <source>Select &lt;layer&gt; and decompose it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="41" />
            <source>Evaluate perplexity.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="42" />
            <source>Evaluate at most &lt;n&gt; windows.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="43" />
            <source>Run a rank sweep.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="44" />
            <source>Evaluate on the text &lt;file&gt;.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="45" />
            <source>Show &lt;view&gt;: spectrum, heatmap, layers, sweep, cost, compare.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="47" />
            <source>Heatmap stage: before or after.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="48" />
            <source>Save a PNG of the window to &lt;file&gt; and quit.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="51" />
            <source>Export the current view's plot to &lt;file&gt; (.png/.svg/.pdf) and quit.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="53" />
            <source>User interface language: en or de.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="55" />
            <source>Window size WIDTHxHEIGHT.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="56" />
            <source>Quit after the scripted steps.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="58" />
            <source>Session database &lt;file&gt; (default: $LQER_SESSIONS_DB or the user data folder).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="60" />
            <source>Reopen session &lt;id&gt; from the database.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="62" />
            <source>Use the plan preset &lt;name&gt;.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="64" />
            <source>Compare runs &lt;a,b&gt; of the database (or "last": the last two runs with layers).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="66" />
            <source>Show the sessions panel.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="67" />
            <source>Export the packed quantized checkpoint to &lt;dir&gt;.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="69" />
            <source>Open lesson &lt;n&gt; (1-5) of the teaching mode.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="71" />
            <source>Start the lesson at step &lt;s&gt;.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="73" />
            <source>Presentation mode (large fonts, high contrast, full screen).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="84" />
            <source>--lesson %1: expected a lesson number from 1 to %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="93" />
            <source>--step %1: expected a step of lesson %2 (1 to %3)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="114" />
            <source>--eval-text %1: no such file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="129" />
            <source>--session %1: expected a session id (a positive number)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="146" />
            <source>--compare %1: expected two run ids "A,B" or "last"</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="152" />
            <source>--preset %1: expected one of %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="159" />
            <source>--size %1: expected WIDTHxHEIGHT, e.g. 1600x1000</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="163" />
            <source>--view %1: expected one of %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="166" />
            <source>--language %1: expected en or de</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="170" />
            <source>the scripted jobs need a checkpoint folder argument or --session</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="178" />
            <source>%1 did not finish</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="199" />
            <source>Cannot write the screenshot %1: %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="221" />
            <source>--session %1: no session database is open (%2)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="264" />
            <source>Calibration</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="265" />
            <source>Quantization</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="266" />
            <source>Evaluation</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="267" />
            <source>Rank sweep</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="284" />
            <source>--layer %1: no such linear layer in %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="286" />
            <location filename="../app/studio/script.cpp" line="368" />
            <source>Layer detail</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="307" />
            <source>Export: %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="318" />
            <source>--compare last: no session with runs is open</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="324" />
            <source>--compare last: the session has fewer than two runs with layers</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="190" />
            <source>Cannot write the screenshot %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="381" />
            <source>Lesson %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="409" />
            <source>No plot is visible to export</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="28" />
            <source>%1 plain</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="29" />
            <source>%1 %2 k=%3</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../app/studio/sessions.cpp" line="31" />
            <source> (+%n override(s))</source>
            <translation type="unfinished">
                <numerusform />
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="41" />
            <source>running</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="43" />
            <source>complete</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="45" />
            <source>cancelled</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="47" />
            <source>interrupted</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="49" />
            <source>failed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="57" />
            <source>quantize</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="59" />
            <source>analyze</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="61" />
            <source>evaluate</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="63" />
            <source>rank sweep</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="115" />
            <source>No session database is open</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="220" />
            <source>run %1 · %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="251" />
            <source>Mean absolute error eₐ</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="252" />
            <source>Relative error ‖E−Ẽ‖_F / ‖W‖_F</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="253" />
            <source>Bits per weight</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="305" />
            <source>Run %1: %2 layer(s) ran as %3 instead of %4 (no calibration statistics)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="312" />
            <source>Run %1 is %2: %3 of %4 layers</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="348" />
            <source>A session needs a name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="33" />
            <source>Checkpoint folder or GGUF model (.gguf) to open</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="1" />
            <source>export</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="1" />
            <source>%1 bits/weight</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/document.cpp" line="24" />
            <source>%1: no safetensors file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/document.cpp" line="31" />
            <source>%1: the packed plan: %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/document.cpp" line="38" />
            <source>%1: the packed layer table is not a JSON object (%2)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/document.cpp" line="61" />
            <source>%1: layer %2 has no shape in the packed layer table</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/document.cpp" line="1" />
            <source>%1: a LoRA adapter can only be given with a .gguf model</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="1" />
            <source>--lora %1: an adapter needs a .gguf model to open</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="1" />
            <source>The GGUF LoRA adapter &lt;file&gt; of a .gguf model (for evaluation).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobs.cpp" line="1" />
            <source>%1 is already on the %2 grid: quantizing it again leaves no error. Choose another weight format in the plan to analyse it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="49" />
            <source>Predict the Rank explorer&apos;s per-layer curves (after the calibration).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="275" />
            <source>Rank curves</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="349" />
            <source>%1: σ of the perplexity</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="351" />
            <source>%1: KL from FP32, mean</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="352" />
            <source>%1: KL from FP32, p99</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="353" />
            <source>%1: top-1 agreement (%)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="354" />
            <source>%1: Δppl from FP32</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="70" />
            <source>allocate</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="72" />
            <source>rank curves</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="74" />
            <source>sensitivity</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="97" />
            <source>%1 · %2 bits/weight · %3 loss %4</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="106" />
            <source>%1 layers × %2 formats × %3 ranks</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../app/studio/sessions.cpp" line="112" />
            <source>%n layer(s) measured per rank</source>
            <translation type="unfinished">
                <numerusform />
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/measuresensitivity.cpp" line="116" />
            <source>Measuring the sensitivity of each layer</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="58" />
            <source>Take the screenshot while a job passes &lt;percent&gt; % (the status bar shows its progress, ETA and memory) instead of at the end.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="136" />
            <source>--screenshot-at %1: expected a percentage from 1 to 99, with --screenshot</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobs.cpp" line="349" />
            <source>Decomposing %1: first spectrum shown</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>QuantizeModelJob</name>
        <message>
            <location filename="../app/studio/jobkinds/quantizemodel.cpp" line="17" />
            <source>Quantize model</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>RankExplorerView</name>
        <message>
            <location filename="../app/studio/views/rankexplorerview.h" line="31" />
            <source>Rank explorer</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="50" />
            <source>Allocated (%1 bits/weight)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="57" />
            <source>Best uniform: %1, k = %2 (%3 bits/weight)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="88" />
            <source>%1
%2, %3 bits/weight</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="97" />
            <source>Load the per-layer curves of this model (lqer allocate MODEL --calib FILE --save-curves curves.json)
to allocate weight format and rank per layer under a bit budget.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="100" />
            <source>Layer (model order)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="101" />
            <source>Bits per weight</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="144" />
            <source>Load curves…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="145" />
            <source>Apply to plan</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="164" />
            <source>Load per-layer curves</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="165" />
            <source>Curves (*.json)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="170" />
            <source>Load curves</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="171" />
            <source>Save them for this model with lqer allocate MODEL --calib FILE --save-curves FILE.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="186" />
            <source>%1: layer %2 is not a layer of the open model</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="241" />
            <source>Budget</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="242" />
            <source>No curves loaded.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="245" />
            <source>Budget %1 bits/weight</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="247" />
            <source>No plan fits this budget.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="251" />
            <source>Allocated: %1 bits/weight, predicted loss %2 (%3); re-allocated in %4 ms.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="254" />
            <source>KL, scaled by each layer's measured sensitivity</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="255" />
            <source>scaled residual energy</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="259" />
            <source>Best uniform plan: %1, k = %2, %3 bits/weight, predicted loss %4.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="273" />
            <source>Apply allocation (%1 bits/weight)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="106" />
            <source>Measured KL, %1 (right axis)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="140" />
            <source>%1, k = %2: predicted %3 of ‖W S‖²</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="151" />
            <source>k = %1: measured KL %2 ± %3</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="162" />
            <source>Compute or load the curves, then pick a layer.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="163" />
            <source>Rank k</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="164" />
            <source>Rank k of %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="165" />
            <source>Predicted loss / ‖W S‖²</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="166" />
            <source>Measured KL from FP32 (nats)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="192" />
            <source>Predicted: residual energy / ‖W S‖² (left axis)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="203" />
            <source>Measured: KL from FP32, layer alone (right axis)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="226" />
            <source>%1
predicted %2 of ‖W S‖²</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="231" />
            <source>measured KL %1 ± %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="240" />
            <source>Compute or load the curves; Measure sensitivity adds the measured KL.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="242" />
            <source>Predicted (relative)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="243" />
            <source>Measured KL (nats)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="261" />
            <source>Uniform plans</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="263" />
            <source>Uniform frontier</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="265" />
            <source>Allocated (budget sweep)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="268" />
            <source>Slider&apos;s allocation</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="279" />
            <source>Evaluated plans: perplexity ± σ (right axis)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="315" />
            <source>%1
%2 bits/weight, perplexity %3 ± %4</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="320" />
            <source>%1
%2 bits/weight, predicted loss %3</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="328" />
            <source>Compute or load the curves to compare uniform and allocated plans.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="329" />
            <source>Average bits per weight</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="330" />
            <source>Predicted loss (sum over layers)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="331" />
            <source>Perplexity</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="217" />
            <source>Compute curves</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="218" />
            <source>Predict every layer&apos;s loss for each weight format and rank from one decomposition per layer and format (a job; uses the loaded statistics).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="220" />
            <source>Measure sensitivity</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="221" />
            <source>Measure the KL divergence from FP32 of each layer quantized alone, and of each of its ranks, on the evaluation text (a job).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="223" />
            <source>Windows</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="225" />
            <source>Layer</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="226" />
            <source>Allocation</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="227" />
            <source>Loss vs rank</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="228" />
            <source>Sensitivity</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="229" />
            <source>Pareto</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="451" />
            <source>Measure the sensitivity to compare the prediction with the KL divergence of each layer alone (Spearman correlation of the two rankings).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="453" />
            <source>Spearman correlation of the predicted sensitivity (relative residual energy) with the measured KL over %1 layers: %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="515" />
            <source>Uniform %1, k = %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="523" />
            <source>Allocated</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="527" />
            <source>Allocated at %1 bits/weight</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="543" />
            <source>KL %1, top-1 %2 %, Δppl %3 ± %4</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="222" />
            <source>Candidates of Compute curves: weight widths (bits=2,3,4,6,8: every format of those widths) or formats by name (formats=mxint4_e8_b16,…), and ranks (ranks=0,8,16,32,64,128).</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>RankSweepJobKind</name>
        <message>
            <location filename="../app/studio/jobkinds/ranksweep.cpp" line="21" />
            <source>Rank sweep</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/ranksweep.cpp" line="28" />
            <source>No evaluation text is set.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobkinds/ranksweep.cpp" line="29" />
            <source>Run Jobs &gt; Evaluate perplexity once and choose the text file.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>RankSweepView</name>
        <message>
            <location filename="../app/studio/views/ranksweepview.h" line="23" />
            <source>Perplexity vs rank</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>SpectrumView</name>
        <message>
            <location filename="../app/studio/views/spectrumview.cpp" line="61" />
            <source>LQER: σ(αE)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/spectrumview.cpp" line="62" />
            <source>%1: σ(SE)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/spectrumview.cpp" line="65" />
            <source>%1: σ(E)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/spectrumview.cpp" line="77" />
            <location filename="../app/studio/views/spectrumview.cpp" line="86" />
            <source>Marchenko–Pastur (i.i.d., same energy)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/spectrumview.h" line="21" />
            <source>Error spectrum</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/spectrumview.cpp" line="87" />
            <source>Top %1 singular values so far (a quick sketch); refining…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/views/spectrumview.cpp" line="89" />
            <source>Top %1 of %2 singular values</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>StudioActions</name>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="112" />
            <source>Show %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="113" />
            <source>&amp;File</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="114" />
            <source>Open &amp;recent</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="115" />
            <source>&amp;Edit</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="116" />
            <source>&amp;View</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="117" />
            <source>&amp;Jobs</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="118" />
            <source>&amp;Language</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="119" />
            <source>&amp;Help</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="120" />
            <source>Main toolbar</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="121" />
            <source>&amp;Open checkpoint…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="123" />
            <source>Open a Hugging Face checkpoint folder (Ctrl+O); you can also drop a folder on the window</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="124" />
            <source>Load calibration &amp;statistics…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="125" />
            <source>&amp;Export view…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="126" />
            <source>Export &amp;quantized checkpoint…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="128" />
            <source>Write the quantized model: packed LQER checkpoint or dequantized Hugging Face folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="129" />
            <source>&amp;Quit</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="130" />
            <source>&amp;Undo</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="131" />
            <source>&amp;Redo</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="132" />
            <source>&amp;Analyze selected</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="133" />
            <source>Quantize and decompose the selected layers (F5)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="134" />
            <source>&amp;Quantize model</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="135" />
            <source>Run the plan on every layer of the model (Ctrl+F5)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="136" />
            <source>&amp;Calibrate</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="137" />
            <source>Collect activation statistics for L²QER / QERA</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="138" />
            <source>&amp;Evaluate perplexity</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="139" />
            <source>Rank &amp;sweep</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="140" />
            <source>Cancel</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="141" />
            <source>Stop the running job (Esc)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="142" />
            <source>&amp;Marchenko–Pastur overlay</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="143" />
            <source>&amp;About LQER Studio</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="1" />
            <source>Open model &amp;file…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="1" />
            <source>Open a GGUF LLaMA model (select its lqer-lora.gguf adapter too to evaluate with it; layers with their ggml formats, analysed on the dequantized weights) or a llama2.c model file (.bin, with tok512.bin or tokenizer.bin beside it)</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>lqer::ChannelPlot</name>
        <message>
            <location filename="../widgets/channelplot.cpp" line="20" />
            <source>Calibrate (Jobs &gt; Calibrate) and select a layer to see the mean |x| of each of its input channels,
with the loudest channels marked and the L²QER scale s.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/channelplot.cpp" line="22" />
            <source>Input channel i</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/channelplot.cpp" line="23" />
            <source>Mean |xᵢ| over calibration tokens</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/channelplot.cpp" line="24" />
            <source>L²QER scale sᵢ</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/channelplot.cpp" line="59" />
            <source>mean |x| per channel</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../widgets/channelplot.cpp" line="64" />
            <source>%n loudest channel(s)</source>
            <translation type="unfinished">
                <numerusform />
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../widgets/channelplot.cpp" line="96" />
            <source>%1
channel %2: mean |x| = %3</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/channelplot.cpp" line="98" />
            <source>, s = %1</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>lqer::CostChart</name>
        <message>
            <location filename="../widgets/costpanel.cpp" line="29" />
            <source>Layer</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/costpanel.cpp" line="30" />
            <source>Bits per weight</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/costpanel.cpp" line="63" />
            <source>%1
%2 bits per weight</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>lqer::CostPanel</name>
        <message>
            <location filename="../widgets/costpanel.cpp" line="106" />
            <source>Average bits per weight (model)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/costpanel.cpp" line="107" />
            <source>Average bits, paper convention</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/costpanel.cpp" line="108" />
            <source>Circuit area vs FP16</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/costpanel.cpp" line="109" />
            <source>Estimated perplexity (proxy)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/costpanel.cpp" line="110" />
            <source>Perplexity (evaluated)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/costpanel.cpp" line="111" />
            <source>Perplexity FP32</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/costpanel.cpp" line="139" />
            <source>Cost of the plan</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/costpanel.cpp" line="140" />
            <source>Cost of the plan: %1</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>lqer::ErrorHeatmap</name>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="39" />
            <source>Select a layer to see where its quantization error sits, before and after the low-rank correction.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="41" />
            <source>Input channel (column of W)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="42" />
            <source>Output channel (row of W)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="46" />
            <source>|W|</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="47" />
            <source>Weights |W|</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="50" />
            <source>|Wq|</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="51" />
            <source>Quantized weights |Wq|</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="54" />
            <source>|E| (Wq only)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="58" />
            <source>|E − Ẽ| (Wq + AB)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="55" />
            <source>Quantization error |E|, Wq only</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="59" />
            <source>Reconstruction error |E − Ẽ|, Wq + AB</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="171" />
            <source>row %1, column %2
|value| = %3</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="173" />
            <source>rows %1–%2, columns %3–%4
mean |value| = %5
max |value| = %6</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="125" />
            <source>row %1, column %2
|error| = %3</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="127" />
            <source>rows %1–%2, columns %3–%4
mean |error| = %5
max |error| = %6</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>lqer::ErrorHeatmapPanel</name>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="224" />
            <source>&amp;Show:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="227" />
            <source>Before: Wq only (|E|)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="228" />
            <source>After: Wq + AB (|E − Ẽ|)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="225" />
            <source>Weights |W|</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="226" />
            <source>Quantized |Wq|</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="229" />
            <source>&amp;Cells:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="230" />
            <source>Mean of block</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="231" />
            <source>Max of block</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="243" />
            <source>Select a layer and run an analysis</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="245" />
            <source>%1 × %2 matrix shown as %3 × %4 blocks of %5 × %6</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="253" />
            <source>%1 × %2 matrix, full resolution</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>lqer::ExportDialog</name>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="112" />
            <source>Output folder not empty</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="132" />
            <source>%1 (ETA %2)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="199" />
            <source>Cancelling… (the partial folder is removed)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="236" />
            <source>An export is already running</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="238" />
            <source>No checkpoint to export: open one first</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="241" />
            <source>Choose an output folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="245" />
            <source>%1 is a file, not a folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="247" />
            <source>The folder %1 is not empty. Export into it anyway? Only the files of an earlier export there are replaced; other files are kept.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="252" />
            <source>Export refused: %1 is not empty</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="311" />
            <source>Exporting to %1…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="312" />
            <source>Export</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="336" />
            <source>Done.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="339" />
            <source>Cancelled: nothing was written to %1.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="341" />
            <source>Export failed: %1</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../app/studio/exportdialog.cpp" line="353" />
            <source>Wrote %n file(s), %1, to %2 in %3.</source>
            <translation type="unfinished">
                <numerusform />
                <numerusform />
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../app/studio/exportdialog.cpp" line="356" />
            <source>%n quantized layer(s).</source>
            <translation type="unfinished">
                <numerusform />
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="359" />
            <source>%1 bits per weight in the packed arrays (%2 from the formats).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="364" />
            <source>Dequantized: the plan's formats make %1 bits per weight.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="384" />
            <source>PEFT base GPTQ-packed (4-bit, group %1): the plan's INT4 weights exactly, %2 bits per weight from the formats.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="395" />
            <source>PEFT base: %1.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="371" />
            <source>Output folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="416" />
            <source>Export quantized checkpoint</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="418" />
            <source>Model: %1 — plan: %2%3</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="419" />
            <source>custom</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="420" />
            <source> (no statistics: L²QER layers use LQER)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="421" />
            <source>Open a checkpoint first.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="422" />
            <source>Format:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="423" />
            <source>&amp;Packed LQER checkpoint (codes, exponents, A and B as stored in hardware)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="424" />
            <source>&amp;Dequantized Hugging Face folder (for standard tools)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="425" />
            <source>&amp;GGUF for llama.cpp (q4_0 / q8_0 / f16 base + LoRA adapter with A and B)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="426" />
            <source>PEF&amp;T: dequantized base + LoRA adapter (transformers, vLLM)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="427" />
            <source>&amp;Merge A·B into the weight</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="428" />
            <source>Store Wq + (A·B)ᵀ instead of Wq alone</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="429" />
            <source>&amp;Float type:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="430" />
            <source>&amp;Output folder:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="431" />
            <source>&amp;Browse…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="432" />
            <source>&amp;Export</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="433" />
            <source>Cancel</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="434" />
            <source>&amp;Open exported model</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="435" />
            <source>Close</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="1" />
            <source>Size: cannot predict (%1)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="1" />
            <source>model %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="1" />
            <source>adapter %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="1" />
            <source>other files %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="1" />
            <source>Size: %1 (%2); %3 bits per weight</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="1" />
            <source>Size: about %1 (%2); %3 bits per weight</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="1" />
            <source>Size: computing…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="1" />
            <source>Size preview</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>lqer::JobRunner</name>
        <message>
            <location filename="../app/studio/jobrunner.cpp" line="155" />
            <source>%1 s</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobrunner.cpp" line="157" />
            <source>%1 min %2 s</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobrunner.cpp" line="158" />
            <source>%1 h %2 min</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>lqer::JobStatus</name>
        <message>
            <location filename="../app/studio/jobstatus.cpp" line="44" />
            <source>ETA –</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobstatus.cpp" line="52" />
            <source>ETA %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobstatus.cpp" line="53" />
            <location filename="../app/studio/jobstatus.cpp" line="58" />
            <source>UI stall max %1 ms</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobstatus.cpp" line="58" />
            <source>Memory %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobstatus.cpp" line="66" />
            <source>Anonymous memory of the studio (RssAnon: heap and working buffers); the highest reading during the job: %1. The page cache of the memory-mapped checkpoint is not counted: the system reclaims it when memory runs short.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/jobstatus.cpp" line="99" />
            <source>Memory peak %1</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>lqer::LayerBrowser</name>
        <message>
            <location filename="../app/studio/layerbrowser.cpp" line="55" />
            <source>Invalid regular expression</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/layerbrowser.cpp" line="89" />
            <source>Filter layers by name…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/layerbrowser.cpp" line="90" />
            <source>Regex</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>lqer::LayerBrowserModel</name>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="59" />
            <source>Layer</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="59" />
            <source>Shape (out × in)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="59" />
            <source>DType</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="59" />
            <source>Parameters</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="60" />
            <source>Bits/w</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="60" />
            <source>eₐ (mean |E−Ẽ|)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="60" />
            <source>Rel. error</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="60" />
            <source>Time</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="63" />
            <location filename="../app/studio/layermodels.cpp" line="99" />
            <source>Block %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="180" />
            <source>%1, k = %2
plain eₐ %3 → %4</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>lqer::LayerErrorChart</name>
        <message>
            <location filename="../widgets/layererrorchart.cpp" line="49" />
            <source>Quantize the model (Jobs &gt; Quantize model) to compare the error of every layer.
Clicking a bar selects its layer.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/layererrorchart.cpp" line="51" />
            <location filename="../widgets/layererrorchart.cpp" line="115" />
            <source>Layer (model order)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/layererrorchart.cpp" line="52" />
            <source>Error</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/layererrorchart.cpp" line="115" />
            <source>Layer (sorted by error)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/layererrorchart.cpp" line="179" />
            <source>not computed</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>lqer::LessonPanel</name>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="187" />
            <source>Open a model first.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="205" />
            <source>Checking…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="237" />
            <source>Correct: the engine computes %1.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="238" />
            <source>Not quite: the engine computes %1. Look at the view again and try once more.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="249" />
            <source>Lesson: rank %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="312" />
            <source>Rank k = %1 for %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="318" />
            <source>Computing the spectrum…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="324" />
            <source>LQER: rank %1 captures %2% of ‖E‖²; the residual E − AB keeps %3%.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="330" />
            <source>L²QER: it captures %1% of ‖SE‖².</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="333" />
            <source>(Calibrate to compare with L²QER.)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="348" />
            <source>← Previous</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="349" />
            <source>Next →</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="350" />
            <source>Check</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="351" />
            <source>Your answer</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="359" />
            <source>Step %1 of %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="364" />
            <source>Try this: %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="375" />
            <source>Check: %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="323" />
            <source>LQER: rank %1 captures %2% of ‖E‖².</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>lqer::MainWindow</name>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="143" />
            <source>About LQER Studio</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="144" />
            <source>&lt;b&gt;LQER Studio %1&lt;/b&gt;&lt;p&gt;Post-training quantization of LLMs with low-rank quantization error reconstruction (LQER / L²QER, Zhang et al., ICML 2024).&lt;/p&gt;</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="206" />
            <source>Check that the session database is writable.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="249" />
            <source>%1 — LQER Studio</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="249" />
            <source>LQER Studio</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="257" />
            <source>Layers</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="258" />
            <source>Plan</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="259" />
            <location filename="../app/studio/mainwindow.cpp" line="556" />
            <source>Sessions</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="266" />
            <source>Ready</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="267" />
            <source>Open a checkpoint to begin (Ctrl+O or drop a folder)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="288" />
            <source>Open checkpoint folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="301" />
            <source>Cannot open checkpoint</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="302" />
            <source>Choose a Hugging Face model folder with config.json and *.safetensors files (a LLaMA, Mistral, OPT, GPT-NeoX or GPT-2 model).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="350" />
            <source>Opened the packed LQER checkpoint %1: %2 quantized layers; it can be evaluated (Jobs &gt; Evaluate perplexity), not re-quantized</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="356" />
            <source>Opened %1: %2 linear layers, %3 parameters, in %4 ms</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="445" />
            <source>Export view</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="456" />
            <source>Export failed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="456" />
            <source>Choose another folder or file name.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="458" />
            <source>Exported %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="500" />
            <source>Cancelling…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="526" />
            <source>%1: cancelled after %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="530" />
            <source>%1 failed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="531" />
            <source>Check the plan (formats, rank) and the input files named above, then run the job again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="533" />
            <source>%1: done in %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="260" />
            <location filename="../app/studio/mainwindow.cpp" line="556" />
            <source>Sessions (unavailable)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="565" />
            <source>Cannot compare the runs</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="565" />
            <source>Choose two runs of the list.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="302" />
            <source>Choose a Hugging Face model folder with config.json and *.safetensors files (a LLaMA, Mistral, OPT, GPT-NeoX or GPT-2 model), a GGUF LLaMA model or a llama2.c model file (.bin).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="1" />
            <source>Open model file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="1" />
            <source>Model files (*.gguf *.bin);;GGUF models (*.gguf);;llama2.c models (*.bin);;All files (*)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="1" />
            <source>Cannot open model file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="1" />
            <source>Choose one model file, and for a GGUF model optionally its LoRA adapter.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="1" />
            <source>Opened the GGUF model %1: %2 linear layers (%3); layer detail and analysis use the dequantized weights, Evaluate runs it as llama.cpp does%4</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="1" />
            <source> with the adapter %1</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>lqer::PlanEditor</name>
        <message>
            <location filename="../app/studio/planeditor.cpp" line="173" />
            <source>&amp;Preset:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/planeditor.cpp" line="174" />
            <source>Apply preset</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/planeditor.cpp" line="175" />
            <source>Replace the whole plan by the preset (undoable)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/planeditor.cpp" line="176" />
            <source>&amp;Method:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/planeditor.cpp" line="177" />
            <source>&amp;Rank k:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/planeditor.cpp" line="178" />
            <source>W &amp;bits:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/planeditor.cpp" line="179" />
            <source>B&amp;lock:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/planeditor.cpp" line="180" />
            <source>&amp;Activations:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/planeditor.cpp" line="181" />
            <source>Apply to &amp;selected</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/planeditor.cpp" line="182" />
            <source>Apply to a&amp;ll</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/planeditor.cpp" line="184" />
            <source>Set method, rank, weight bits, block and activation format of the selected layers</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/planeditor.cpp" line="185" />
            <source>Set method, rank, weight bits, block and activation format of every layer</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../app/studio/planeditor.cpp" line="267" />
            <source>Set %1 k=%2 W%3 B%4 on %n layer(s)</source>
            <translation type="unfinished">
                <numerusform />
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../app/studio/planeditor.cpp" line="284" />
            <source>Apply preset %1</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>lqer::PlanTableModel</name>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="272" />
            <source>%1
(overrides the plan defaults)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="283" />
            <source>yes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="283" />
            <source>no (fp32)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="308" />
            <source>Layer</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="310" />
            <source>Quantize</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="312" />
            <source>Weight format</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="314" />
            <source>W bits</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="316" />
            <source>Block</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="318" />
            <source>Activations</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="320" />
            <source>Method</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="322" />
            <source>Rank k</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="324" />
            <source>Bits/w</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="352" />
            <source>Set %1 of %2</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../app/studio/layermodels.cpp" line="353" />
            <source>Set %1 of %n layers</source>
            <translation type="unfinished">
                <numerusform />
                <numerusform />
            </translation>
        </message>
    </context>
    <context>
        <name>lqer::PlotView</name>
        <message>
            <location filename="../widgets/plotview.cpp" line="113" />
            <source>PNG image (*.png)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/plotview.cpp" line="113" />
            <source>SVG vector image (*.svg)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/plotview.cpp" line="113" />
            <source>PDF document (*.pdf)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/plotview.cpp" line="142" />
            <source>Cannot export %1: unknown format "%2" (use .png, .svg or .pdf)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/plotview.cpp" line="145" />
            <source>Cannot write %1: check that the folder exists and is writable</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/plotview.cpp" line="195" />
            <source>Export…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/plotview.cpp" line="196" />
            <source>Reset zoom</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/plotview.cpp" line="213" />
            <source>Export plot</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/plotview.cpp" line="225" />
            <source>Export failed</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>lqer::RankSweepPlot</name>
        <message>
            <location filename="../widgets/ranksweepplot.cpp" line="27" />
            <source>Run a rank sweep (Jobs &gt; Rank sweep) to plot perplexity against the rank k,
with FP32 and plain quantization as reference lines.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/ranksweepplot.cpp" line="29" />
            <source>Rank k (log₂ scale)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/ranksweepplot.cpp" line="30" />
            <source>Perplexity (lower is better)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/ranksweepplot.cpp" line="126" />
            <source>FP32 (%1)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/ranksweepplot.cpp" line="128" />
            <source>Plain, k = 0 (%1)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/ranksweepplot.cpp" line="159" />
            <source>%1, k = %2
perplexity %3</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/ranksweepplot.cpp" line="166" />
            <source>
+%1 vs FP32</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>lqer::RunComparisonView</name>
        <message>
            <location filename="../widgets/runcomparison.cpp" line="139" />
            <source>&amp;Metric:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/runcomparison.cpp" line="140" />
            <source>Layer</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/runcomparison.cpp" line="140" />
            <location filename="../widgets/runcomparison.cpp" line="141" />
            <source>Run A</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/runcomparison.cpp" line="140" />
            <location filename="../widgets/runcomparison.cpp" line="141" />
            <source>Run B</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/runcomparison.cpp" line="140" />
            <location filename="../widgets/runcomparison.cpp" line="141" />
            <source>B − A</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/runcomparison.cpp" line="140" />
            <source>B / A</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/runcomparison.cpp" line="141" />
            <source>Perplexity</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/runcomparison.cpp" line="148" />
            <source>Select two runs in the Sessions panel and press Compare.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/runcomparison.cpp" line="155" />
            <source>&lt;b&gt;A&lt;/b&gt;: %1 &amp;nbsp;&amp;nbsp; &lt;b&gt;B&lt;/b&gt;: %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/runcomparison.cpp" line="191" />
            <source>No perplexity evaluated for these plans yet (Jobs &gt; Evaluate perplexity).</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>lqer::SessionBrowser</name>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="119" />
            <source>Name:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="123" />
            <source>Delete session</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="141" />
            <source>Rename session</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="149" />
            <source>Duplicate session</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="150" />
            <source>%1 (copy)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="175" />
            <source>Name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="175" />
            <source>Model</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="175" />
            <location filename="../app/studio/sessionbrowser.cpp" line="284" />
            <source>Runs</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="175" />
            <source>Last run</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="175" />
            <source>Modified</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="177" />
            <source>Run</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="177" />
            <source>Kind</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="177" />
            <source>Status</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="177" />
            <source>Layers</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="177" />
            <source>Plan</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="177" />
            <source>Perplexity</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="177" />
            <source>Started</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="178" />
            <source>&amp;Open</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="179" />
            <source>Open the session: its model, plan and stored results (no recomputation)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="180" />
            <source>Re&amp;name…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="181" />
            <source>D&amp;uplicate…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="182" />
            <source>A new session with the same model and plan (without the runs)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="183" />
            <source>&amp;Delete…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="184" />
            <source>&amp;Compare</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="185" />
            <source>Select two runs (Ctrl+click) and compare them side by side</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="196" />
            <source>No session database.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="197" />
            <source>Sessions unavailable: %1</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../app/studio/sessionbrowser.cpp" line="212" />
            <source>%n session(s) in %1</source>
            <translation type="unfinished">
                <numerusform />
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="292" />
            <source>Runs of the selected session (%1)</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../app/studio/sessionbrowser.cpp" line="298" />
            <source>%n point(s)</source>
            <translation type="unfinished">
                <numerusform />
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="390" />
            <location filename="../app/studio/sessionbrowser.cpp" line="400" />
            <location filename="../app/studio/sessionbrowser.cpp" line="414" />
            <source>No session is selected</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="392" />
            <source>Cannot rename the session</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="403" />
            <source>Cannot duplicate the session</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="417" />
            <source>Delete the session "%1" and its %2 run(s)? This cannot be undone.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="418" />
            <source>Deletion cancelled</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="422" />
            <source>Cannot delete the session</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="302" />
            <source>%1 %2 ± %3</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="308" />
            <source> (KL from FP32 %1, top-1 agreement %2 %)</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>lqer::SessionController</name>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="54" />
            <source>Session database unavailable</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="55" />
            <source>The studio works on without sessions (nothing is saved). The file was not changed; choose another one with --db FILE or LQER_SESSIONS_DB.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="81" />
            <source>No session database is open</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="84" />
            <source>No checkpoint is open</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="132" />
            <location filename="../app/studio/sessioncontroller.cpp" line="169" />
            <location filename="../app/studio/sessioncontroller.cpp" line="192" />
            <source>Cannot save the plan</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="132" />
            <location filename="../app/studio/sessioncontroller.cpp" line="169" />
            <location filename="../app/studio/sessioncontroller.cpp" line="192" />
            <location filename="../app/studio/sessioncontroller.cpp" line="250" />
            <source>Check the session database (--db).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="143" />
            <location filename="../app/studio/sessioncontroller.cpp" line="151" />
            <source>Cannot save the run</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="144" />
            <location filename="../app/studio/sessioncontroller.cpp" line="152" />
            <source>The results stay in the window; check the session database (--db).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="202" />
            <source>The model files changed since this session was saved (%1): the stored results were computed from other weights. Re-run the jobs to refresh them. (fingerprint %2… now %3…)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="208" />
            <source>Model files changed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="221" />
            <source>The session's statistics %1 are missing.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="223" />
            <source>The session's statistics %1 changed since; not loaded.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="249" />
            <location filename="../app/studio/sessioncontroller.cpp" line="260" />
            <source>Cannot open the session</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="258" />
            <source>Session "%1": its model %2 cannot be opened: %3</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="261" />
            <source>Move the model back to %1, or open the model and start a new session.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="286" />
            <source>%1 — %2 — LQER Studio</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="291" />
            <source>Reopened session "%1": %2 stored layer results, %3 run(s), in %4 ms. %5</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>lqer::SpectrumPlot</name>
        <message>
            <location filename="../widgets/spectrumplot.cpp" line="27" />
            <source>Select a layer to see the singular values of its quantization error:
LQER (σ of αE) against L²QER and QERA (σ of SE). L²QER and QERA need calibration statistics (Jobs &gt; Calibrate).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/spectrumplot.cpp" line="29" />
            <source>Singular value index i</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/spectrumplot.cpp" line="30" />
            <source>Singular value σᵢ (log scale)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/spectrumplot.cpp" line="31" />
            <source>Quantization error spectrum</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/spectrumplot.cpp" line="32" />
            <source>Quantization error spectrum — %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/spectrumplot.cpp" line="136" />
            <source>σ index %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/spectrumplot.cpp" line="149" />
            <source>inside the rank-%1 term</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../widgets/spectrumplot.cpp" line="149" />
            <source>left as error (i &gt; k)</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>lqer::Teaching</name>
        <message>
            <location filename="../app/studio/teaching.cpp" line="36" />
            <source>Open session file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/teaching.cpp" line="37" />
            <source>LQER session bundles (*.%1)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/teaching.cpp" line="97" />
            <source>cannot create a temporary folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/teaching.cpp" line="99" />
            <location filename="../app/studio/teaching.cpp" line="128" />
            <source>Cannot open the session file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/teaching.cpp" line="107" />
            <source>Where is the model %1? Choose the folder that holds your models</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/teaching.cpp" line="100" />
            <location filename="../app/studio/teaching.cpp" line="129" />
            <source>Choose a file written by “lqer sessions export --session”.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/teaching.cpp" line="123" />
            <source>Session file %1: %2. Shown without the model: its runs in the Sessions panel and the rank sweep. Put the model beside the session file, or choose the folder that holds your models when opening it, for the layer plots.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/teaching.cpp" line="146" />
            <source>Opened the session file %1 (read-only: changes stay in a private copy)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/teaching.cpp" line="221" />
            <source>&amp;Lessons</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/teaching.cpp" line="224" />
            <source>Lessons</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/teaching.cpp" line="225" />
            <source>Lessons panel</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/teaching.cpp" line="226" />
            <source>&amp;Presentation mode</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../app/studio/teaching.cpp" line="227" />
            <source>Open &amp;session file…</source>
            <translation type="unfinished" />
        </message>
    </context>
</TS>
