<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>lqer::CostChart</name>
    <message>
        <location filename="../widgets/costpanel.cpp" line="29"/>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/costpanel.cpp" line="30"/>
        <source>Bits per weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/costpanel.cpp" line="63"/>
        <source>%1
%2 bits per weight</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lqer::CostPanel</name>
    <message>
        <location filename="../widgets/costpanel.cpp" line="106"/>
        <source>Average bits per weight (model)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/costpanel.cpp" line="107"/>
        <source>Average bits, paper convention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/costpanel.cpp" line="108"/>
        <source>Circuit area vs FP16</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/costpanel.cpp" line="109"/>
        <source>Estimated perplexity (proxy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/costpanel.cpp" line="110"/>
        <source>Perplexity (evaluated)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/costpanel.cpp" line="111"/>
        <source>Perplexity FP32</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/costpanel.cpp" line="139"/>
        <source>Cost of the plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/costpanel.cpp" line="140"/>
        <source>Cost of the plan: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lqer::ErrorHeatmap</name>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="39"/>
        <source>Input channel (column of W)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="40"/>
        <source>Output channel (row of W)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="41"/>
        <source>|E| (Wq only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="41"/>
        <source>|E − Ẽ| (Wq + AB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="42"/>
        <source>Quantization error |E|, Wq only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="43"/>
        <source>Reconstruction error |E − Ẽ|, Wq + AB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="123"/>
        <source>row %1, column %2
|error| = %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="125"/>
        <source>rows %1–%2, columns %3–%4
mean |error| = %5
max |error| = %6</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lqer::ErrorHeatmapPanel</name>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="175"/>
        <source>&amp;Show:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="176"/>
        <source>Before: Wq only (|E|)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="177"/>
        <source>After: Wq + AB (|E − Ẽ|)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="178"/>
        <source>&amp;Cells:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="179"/>
        <source>Mean of block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="180"/>
        <source>Max of block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="188"/>
        <source>Select a layer and run an analysis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="190"/>
        <source>%1 × %2 matrix shown as %3 × %4 blocks of %5 × %6</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="198"/>
        <source>%1 × %2 matrix, full resolution</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lqer::JobRunner</name>
    <message>
        <location filename="../app/studio/jobrunner.cpp" line="135"/>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobrunner.cpp" line="137"/>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobrunner.cpp" line="138"/>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lqer::LayerBrowserModel</name>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="51"/>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="51"/>
        <source>Shape (out × in)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="51"/>
        <source>DType</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="51"/>
        <source>Parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="51"/>
        <source>Bits/w</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="52"/>
        <source>eₐ (mean |E−Ẽ|)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="52"/>
        <source>Rel. error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="52"/>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="55"/>
        <location filename="../app/studio/layermodels.cpp" line="91"/>
        <source>Block %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="165"/>
        <source>%1, k = %2
plain eₐ %3 → %4</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lqer::LayerErrorChart</name>
    <message>
        <location filename="../widgets/layererrorchart.cpp" line="41"/>
        <location filename="../widgets/layererrorchart.cpp" line="105"/>
        <source>Layer (model order)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/layererrorchart.cpp" line="42"/>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/layererrorchart.cpp" line="105"/>
        <source>Layer (sorted by error)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/layererrorchart.cpp" line="168"/>
        <source>not computed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lqer::MainWindow</name>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="180"/>
        <source>About LQER Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="181"/>
        <source>&lt;b&gt;LQER Studio %1&lt;/b&gt;&lt;p&gt;Post-training quantization of LLMs with low-rank quantization error reconstruction (LQER / L²QER, Zhang et al., ICML 2024).&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="283"/>
        <source>Invalid regular expression</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="373"/>
        <source>%1 — LQER Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="373"/>
        <source>LQER Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="374"/>
        <source>Error spectrum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="375"/>
        <source>Error heatmap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="376"/>
        <source>Per-layer error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="377"/>
        <source>Perplexity vs rank</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="378"/>
        <source>Cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="380"/>
        <source>Show %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="381"/>
        <source>Sort by error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="382"/>
        <location filename="../app/studio/mainwindow.cpp" line="913"/>
        <source>Mean absolute error eₐ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="383"/>
        <source>Relative error ‖E−Ẽ‖/‖W‖</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="384"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="385"/>
        <source>Open &amp;recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="386"/>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="387"/>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="388"/>
        <source>&amp;Jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="389"/>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="390"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="391"/>
        <source>Main toolbar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="392"/>
        <source>&amp;Open checkpoint…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="393"/>
        <source>Open a Hugging Face checkpoint folder (Ctrl+O); you can also drop a folder on the window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="394"/>
        <source>Load calibration &amp;statistics…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="395"/>
        <source>&amp;Export view…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="396"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="397"/>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="398"/>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="399"/>
        <source>&amp;Analyze selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="400"/>
        <source>Quantize and decompose the selected layers (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="401"/>
        <source>&amp;Quantize model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="402"/>
        <source>Run the plan on every layer of the model (Ctrl+F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="403"/>
        <source>&amp;Calibrate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="404"/>
        <source>Collect activation statistics for L²QER / QERA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="405"/>
        <source>&amp;Evaluate perplexity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="406"/>
        <source>Rank &amp;sweep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="407"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="408"/>
        <source>Stop the running job (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="409"/>
        <source>&amp;Marchenko–Pastur overlay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="410"/>
        <source>&amp;About LQER Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="413"/>
        <source>Layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="414"/>
        <source>Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="415"/>
        <source>Filter layers by name…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="416"/>
        <source>Regex</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="421"/>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="421"/>
        <source>Open a checkpoint to begin (Ctrl+O or drop a folder)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="440"/>
        <source>Open checkpoint folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="453"/>
        <source>Cannot open checkpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="454"/>
        <source>Choose a Hugging Face model folder with config.json and *.safetensors files (a LLaMA, Mistral, OPT, GPT-NeoX or GPT-2 model).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="487"/>
        <source>Opened %1: %2 linear layers, %3 parameters, in %4 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="587"/>
        <source>Export view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="598"/>
        <source>Export failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="598"/>
        <source>Choose another folder or file name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="600"/>
        <source>Exported %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="641"/>
        <location filename="../app/studio/mainwindow.cpp" line="643"/>
        <source>Layer detail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="653"/>
        <source>Marchenko–Pastur (i.i.d., same energy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="669"/>
        <source>Nothing to analyze</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="669"/>
        <source>No layer is selected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="670"/>
        <source>Select layers in the layer list or the plan table, or use Jobs &gt; Quantize model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/studio/mainwindow.cpp" line="677"/>
        <source>Analyze %n layer(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="689"/>
        <source>Quantize model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="702"/>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="707"/>
        <source>Load calibration statistics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="709"/>
        <source>Statistics (*.safetensors);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="720"/>
        <source>Cannot load statistics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="721"/>
        <source>Choose a statistics file written by &quot;lqer calibrate&quot; for this model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="728"/>
        <source>Cannot use statistics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="728"/>
        <source>%1 has no statistics for any layer of this model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="729"/>
        <source>Calibrate this model (Jobs &gt; Calibrate) or choose the statistics of the same model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="733"/>
        <source>Loaded statistics for %1 of %2 layers from %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="767"/>
        <source>Calibration text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="767"/>
        <source>Text (*.txt);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="772"/>
        <source>Calibrate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="792"/>
        <source>Evaluation text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="792"/>
        <source>Text (*.txt *.raw);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="800"/>
        <source>Running estimate over %1 of %2 windows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="814"/>
        <location filename="../app/studio/mainwindow.cpp" line="825"/>
        <source>Evaluate perplexity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="839"/>
        <location filename="../app/studio/mainwindow.cpp" line="847"/>
        <source>Rank sweep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="839"/>
        <source>No evaluation text is set.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="840"/>
        <source>Run Jobs &gt; Evaluate perplexity once and choose the text file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="862"/>
        <source>ETA –</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="871"/>
        <source>ETA %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="874"/>
        <location filename="../app/studio/mainwindow.cpp" line="882"/>
        <source>UI stall max %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="889"/>
        <source>%1: cancelled after %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="891"/>
        <source>%1 failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="892"/>
        <source>Check the plan (formats, rank) and the input files named above, then run the job again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="894"/>
        <source>%1: done in %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="913"/>
        <source>Relative error ‖E−Ẽ‖_F / ‖W‖_F</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="915"/>
        <source>Wq only (plain)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="916"/>
        <source>Wq + AB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="930"/>
        <source>Wq + AB (%1)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lqer::PlanEditor</name>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="162"/>
        <source>&amp;Preset:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="163"/>
        <source>Apply preset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="164"/>
        <source>Replace the whole plan by the preset (undoable)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="165"/>
        <source>&amp;Method:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="166"/>
        <source>&amp;Rank k:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="167"/>
        <source>W &amp;bits:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="168"/>
        <source>B&amp;lock:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="169"/>
        <source>&amp;Activations:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="170"/>
        <source>Apply to &amp;selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="171"/>
        <source>Apply to a&amp;ll</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="172"/>
        <source>Set method, rank, weight bits, block and activation format of the selected layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="173"/>
        <source>Set method, rank, weight bits, block and activation format of every layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/studio/planeditor.cpp" line="238"/>
        <source>Set %1 k=%2 W%3 B%4 on %n layer(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="252"/>
        <source>Apply preset %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lqer::PlanTableModel</name>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="258"/>
        <source>%1
(overrides the plan defaults)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="266"/>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="266"/>
        <source>no (fp32)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="283"/>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="284"/>
        <source>Quantize</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="285"/>
        <source>Weight format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="286"/>
        <source>W bits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="287"/>
        <source>Block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="288"/>
        <source>Activations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="289"/>
        <source>Method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="290"/>
        <source>Rank k</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="291"/>
        <source>Bits/w</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="318"/>
        <source>Set %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/studio/layermodels.cpp" line="319"/>
        <source>Set %1 of %n layers</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>lqer::PlotView</name>
    <message>
        <location filename="../widgets/plotview.cpp" line="23"/>
        <source>PNG image (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/plotview.cpp" line="23"/>
        <source>SVG vector image (*.svg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/plotview.cpp" line="23"/>
        <source>PDF document (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/plotview.cpp" line="51"/>
        <source>Cannot export %1: unknown format &quot;%2&quot; (use .png, .svg or .pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/plotview.cpp" line="55"/>
        <source>Cannot write %1: check that the folder exists and is writable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/plotview.cpp" line="105"/>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/plotview.cpp" line="106"/>
        <source>Reset zoom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/plotview.cpp" line="123"/>
        <source>Export plot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/plotview.cpp" line="136"/>
        <source>Export failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../app/studio/document.cpp" line="20"/>
        <location filename="../app/studio/script.cpp" line="83"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/document.cpp" line="22"/>
        <source>%1 has no quantizable linear layers (decoder-block linears of a supported architecture)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/evaljobs.cpp" line="36"/>
        <source>Loading %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/evaljobs.cpp" line="88"/>
        <source>The evaluation text has %1 tokens, fewer than one window of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/evaljobs.cpp" line="106"/>
        <source>Window %1 of %2, perplexity so far %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/evaljobs.cpp" line="177"/>
        <source>%1 is too short for one calibration sample of %2 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/evaljobs.cpp" line="192"/>
        <source>Calibration sample %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/studio/jobs.cpp" line="28"/>
        <source>%n layer(s) need calibration statistics and were analysed with LQER instead: run Jobs &gt; Calibrate or File &gt; Load statistics.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/studio/jobs.cpp" line="139"/>
        <source>No calibration statistics for this layer: showing LQER only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobs.cpp" line="164"/>
        <source>LQER: σ(αE)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobs.cpp" line="165"/>
        <source>L²QER: σ(SE)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobs.cpp" line="170"/>
        <source>%1: σ(SE), same energy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobs.cpp" line="173"/>
        <source>LQER: σ(E)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobs.cpp" line="199"/>
        <source>Decomposing %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobs.cpp" line="203"/>
        <source>Decomposed %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="32"/>
        <location filename="../app/studio/planeditor.cpp" line="38"/>
        <source>none (fp)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="34"/>
        <location filename="../app/studio/planeditor.cpp" line="38"/>
        <source>INT sym</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="35"/>
        <location filename="../app/studio/planeditor.cpp" line="38"/>
        <source>INT asym</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="19"/>
        <source>LQER Studio: post-training quantization with low-rank error reconstruction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="20"/>
        <source>Checkpoint folder to open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="23"/>
        <source>Load calibration statistics from &lt;file&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="24"/>
        <source>Run the calibration job.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="25"/>
        <source>Quantize the whole model with the plan.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="26"/>
        <source>Select &lt;layer&gt; and decompose it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="27"/>
        <source>Evaluate perplexity.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="28"/>
        <source>Evaluate at most &lt;n&gt; windows.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="29"/>
        <source>Run a rank sweep.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="30"/>
        <source>Show &lt;view&gt;: spectrum, heatmap, layers, sweep, cost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="31"/>
        <source>Heatmap stage: before or after.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="32"/>
        <source>Save a PNG of the window to &lt;file&gt; and quit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="33"/>
        <source>Export the current view&apos;s plot to &lt;file&gt; (.png/.svg/.pdf) and quit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="35"/>
        <source>User interface language: en or de.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="36"/>
        <source>Window size WIDTHxHEIGHT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="37"/>
        <source>Quit after the scripted steps.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="63"/>
        <source>--size %1: expected WIDTHxHEIGHT, e.g. 1600x1000</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="69"/>
        <source>--view %1: expected one of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="71"/>
        <source>--language %1: expected en or de</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="73"/>
        <source>the scripted jobs need a checkpoint folder argument</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="81"/>
        <source>%1 did not finish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="106"/>
        <source>Calibration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="111"/>
        <source>Quantization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="117"/>
        <source>Evaluation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="122"/>
        <source>Rank sweep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="127"/>
        <source>--layer %1: no such linear layer in %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="129"/>
        <source>Layer detail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="150"/>
        <source>Cannot write the screenshot %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="160"/>
        <source>No plot is visible to export</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lqer::RankSweepPlot</name>
    <message>
        <location filename="../widgets/ranksweepplot.cpp" line="27"/>
        <source>Rank k (log₂ scale)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/ranksweepplot.cpp" line="28"/>
        <source>Perplexity (lower is better)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/ranksweepplot.cpp" line="109"/>
        <source>FP32 (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/ranksweepplot.cpp" line="111"/>
        <source>Plain, k = 0 (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/ranksweepplot.cpp" line="142"/>
        <source>%1, k = %2
perplexity %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/ranksweepplot.cpp" line="147"/>
        <source>
+%1 vs FP32</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lqer::SpectrumPlot</name>
    <message>
        <location filename="../widgets/spectrumplot.cpp" line="26"/>
        <source>Singular value index i</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/spectrumplot.cpp" line="27"/>
        <source>Singular value σᵢ (log scale)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/spectrumplot.cpp" line="28"/>
        <source>Quantization error spectrum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/spectrumplot.cpp" line="29"/>
        <source>Quantization error spectrum — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/spectrumplot.cpp" line="133"/>
        <source>σ index %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/spectrumplot.cpp" line="146"/>
        <source>inside the rank-%1 term</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/spectrumplot.cpp" line="146"/>
        <source>left as error (i &gt; k)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
