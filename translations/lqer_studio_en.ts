<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AnalyzeSelectedJob</name>
    <message>
        <location filename="../app/studio/jobkinds/analyzeselected.cpp" line="19"/>
        <source>Analyze selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobkinds/analyzeselected.cpp" line="28"/>
        <source>Nothing to analyze</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobkinds/analyzeselected.cpp" line="28"/>
        <source>No layer is selected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobkinds/analyzeselected.cpp" line="29"/>
        <source>Select layers in the layer list or the plan table, or use Jobs &gt; Quantize model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/studio/jobkinds/analyzeselected.cpp" line="33"/>
        <source>Analyze %n layer(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CalibrateJobKind</name>
    <message>
        <location filename="../app/studio/jobkinds/calibrate.cpp" line="32"/>
        <source>Calibrate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobkinds/calibrate.cpp" line="43"/>
        <source>Calibration text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobkinds/calibrate.cpp" line="44"/>
        <source>Text (*.txt);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <location filename="../app/studio/views/compareview.h" line="22"/>
        <source>Compare runs</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CostView</name>
    <message>
        <location filename="../app/studio/views/costview.cpp" line="49"/>
        <source>Running estimate over %1 of %2 windows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/costview.h" line="21"/>
        <source>Cost</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EvaluateJobKind</name>
    <message>
        <location filename="../app/studio/jobkinds/evaluate.cpp" line="24"/>
        <source>Evaluate perplexity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobkinds/evaluate.cpp" line="31"/>
        <source>No evaluation text is set.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobkinds/evaluate.cpp" line="31"/>
        <source>Pass --eval-text FILE.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobkinds/evaluate.cpp" line="35"/>
        <source>Evaluation text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobkinds/evaluate.cpp" line="36"/>
        <source>Text (*.txt *.raw);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HeatmapView</name>
    <message>
        <location filename="../app/studio/views/heatmapview.h" line="21"/>
        <source>Error heatmap</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LayerDetailJobKind</name>
    <message>
        <location filename="../app/studio/jobkinds/layerdetail.cpp" line="20"/>
        <source>Layer detail</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LayerErrorView</name>
    <message>
        <location filename="../app/studio/views/layererrorview.cpp" line="48"/>
        <source>Sort by error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/layererrorview.cpp" line="49"/>
        <location filename="../app/studio/views/layererrorview.cpp" line="66"/>
        <source>Mean absolute error eₐ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/layererrorview.cpp" line="50"/>
        <source>Relative error ‖E−Ẽ‖/‖W‖</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/layererrorview.cpp" line="66"/>
        <source>Relative error ‖E−Ẽ‖_F / ‖W‖_F</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/layererrorview.cpp" line="68"/>
        <source>Wq only (plain)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/layererrorview.cpp" line="69"/>
        <source>Wq + AB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/layererrorview.cpp" line="84"/>
        <source>Wq + AB (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/layererrorview.h" line="24"/>
        <source>Per-layer error</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LoadStatisticsJob</name>
    <message>
        <location filename="../app/studio/jobkinds/loadstatistics.cpp" line="23"/>
        <location filename="../app/studio/jobkinds/loadstatistics.cpp" line="30"/>
        <source>Load calibration statistics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobkinds/loadstatistics.cpp" line="32"/>
        <source>Statistics (*.safetensors);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobkinds/loadstatistics.cpp" line="44"/>
        <source>Cannot load statistics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobkinds/loadstatistics.cpp" line="45"/>
        <source>Choose a statistics file written by &quot;lqer calibrate&quot; for this model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobkinds/loadstatistics.cpp" line="53"/>
        <source>Cannot use statistics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobkinds/loadstatistics.cpp" line="54"/>
        <source>%1 has no statistics for any layer of this model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobkinds/loadstatistics.cpp" line="55"/>
        <source>Calibrate this model (Jobs &gt; Calibrate) or choose the statistics of the same model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobkinds/loadstatistics.cpp" line="60"/>
        <source>Loaded statistics for %1 of %2 layers from %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../app/studio/document.cpp" line="24"/>
        <source>%1: no safetensors file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/document.cpp" line="31"/>
        <source>%1: the packed plan: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/document.cpp" line="38"/>
        <source>%1: the packed layer table is not a JSON object (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/document.cpp" line="61"/>
        <source>%1: layer %2 has no shape in the packed layer table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/document.cpp" line="110"/>
        <source>%1: the packed checkpoint has no quantized layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/document.cpp" line="127"/>
        <location filename="../app/studio/script.cpp" line="146"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/document.cpp" line="129"/>
        <source>%1 has no quantizable linear layers (decoder-block linears of a supported architecture)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/evaljobs.cpp" line="51"/>
        <source>Loading %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/evaljobs.cpp" line="93"/>
        <source>The evaluation text has %1 tokens, fewer than one window of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/evaljobs.cpp" line="113"/>
        <source>Window %1 of %2, perplexity so far %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/evaljobs.cpp" line="196"/>
        <source>%1 is too short for one calibration sample of %2 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/evaljobs.cpp" line="212"/>
        <source>Calibration sample %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/evaljobs.cpp" line="224"/>
        <source>Calibrated, but the statistics could not be saved for the session: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/studio/jobs.cpp" line="29"/>
        <source>%n layer(s) need calibration statistics and were analysed with LQER instead: run Jobs &gt; Calibrate or File &gt; Load statistics.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/studio/jobs.cpp" line="140"/>
        <source>No calibration statistics for this layer: showing LQER only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobs.cpp" line="165"/>
        <source>LQER: σ(αE)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobs.cpp" line="166"/>
        <source>L²QER: σ(SE)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobs.cpp" line="172"/>
        <source>%1: σ(SE), same energy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobs.cpp" line="175"/>
        <source>LQER: σ(E)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobs.cpp" line="201"/>
        <source>Decomposing %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobs.cpp" line="205"/>
        <source>Decomposed %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="33"/>
        <location filename="../app/studio/planeditor.cpp" line="41"/>
        <source>none (fp)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="37"/>
        <location filename="../app/studio/planeditor.cpp" line="40"/>
        <source>INT sym</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="39"/>
        <location filename="../app/studio/planeditor.cpp" line="40"/>
        <source>INT asym</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="39"/>
        <source>LQER Studio: post-training quantization with low-rank error reconstruction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="30"/>
        <source>Checkpoint folder to open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="33"/>
        <source>Load calibration statistics from &lt;file&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="35"/>
        <source>Run the calibration job.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="36"/>
        <source>Quantize the whole model with the plan.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="37"/>
        <source>Select &lt;layer&gt; and decompose it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="38"/>
        <source>Evaluate perplexity.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="39"/>
        <source>Evaluate at most &lt;n&gt; windows.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="40"/>
        <source>Run a rank sweep.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="41"/>
        <source>Evaluate on the text &lt;file&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="42"/>
        <source>Show &lt;view&gt;: spectrum, heatmap, layers, sweep, cost, compare.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="44"/>
        <source>Heatmap stage: before or after.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="45"/>
        <source>Save a PNG of the window to &lt;file&gt; and quit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="48"/>
        <source>Export the current view&apos;s plot to &lt;file&gt; (.png/.svg/.pdf) and quit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="50"/>
        <source>User interface language: en or de.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="52"/>
        <source>Window size WIDTHxHEIGHT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="53"/>
        <source>Quit after the scripted steps.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="55"/>
        <source>Session database &lt;file&gt; (default: $LQER_SESSIONS_DB or the user data folder).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="57"/>
        <source>Reopen session &lt;id&gt; from the database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="59"/>
        <source>Use the plan preset &lt;name&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="61"/>
        <source>Compare runs &lt;a,b&gt; of the database (or &quot;last&quot;: the last two runs with layers).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="63"/>
        <source>Show the sessions panel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="64"/>
        <source>Export the packed quantized checkpoint to &lt;dir&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="82"/>
        <source>--eval-text %1: no such file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="97"/>
        <source>--session %1: expected a session id (a positive number)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="114"/>
        <source>--compare %1: expected two run ids &quot;A,B&quot; or &quot;last&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="118"/>
        <source>--preset %1: expected one of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="125"/>
        <source>--size %1: expected WIDTHxHEIGHT, e.g. 1600x1000</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="129"/>
        <source>--view %1: expected one of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="132"/>
        <source>--language %1: expected en or de</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="136"/>
        <source>the scripted jobs need a checkpoint folder argument or --session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="144"/>
        <source>%1 did not finish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="165"/>
        <source>Cannot write the screenshot %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="187"/>
        <source>--session %1: no session database is open (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="228"/>
        <source>Calibration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="229"/>
        <source>Quantization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="230"/>
        <source>Evaluation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="231"/>
        <source>Rank sweep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="248"/>
        <source>--layer %1: no such linear layer in %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="250"/>
        <location filename="../app/studio/script.cpp" line="332"/>
        <source>Layer detail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="271"/>
        <source>Export: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="282"/>
        <source>--compare last: no session with runs is open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="288"/>
        <source>--compare last: the session has fewer than two runs with layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="156"/>
        <source>Cannot write the screenshot %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="352"/>
        <source>No plot is visible to export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessions.cpp" line="37"/>
        <source>%1 plain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessions.cpp" line="38"/>
        <source>%1 %2 k=%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/studio/sessions.cpp" line="40"/>
        <source> (+%n override(s))</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/studio/sessions.cpp" line="87"/>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessions.cpp" line="89"/>
        <source>complete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessions.cpp" line="91"/>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessions.cpp" line="93"/>
        <source>interrupted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessions.cpp" line="95"/>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessions.cpp" line="103"/>
        <source>quantize</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessions.cpp" line="105"/>
        <source>analyze</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessions.cpp" line="107"/>
        <source>evaluate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessions.cpp" line="109"/>
        <source>rank sweep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessions.cpp" line="161"/>
        <source>No session database is open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessions.cpp" line="265"/>
        <source>run %1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessions.cpp" line="296"/>
        <source>Mean absolute error eₐ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessions.cpp" line="297"/>
        <source>Relative error ‖E−Ẽ‖_F / ‖W‖_F</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessions.cpp" line="298"/>
        <source>Bits per weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessions.cpp" line="350"/>
        <source>Run %1: %2 layer(s) ran as %3 instead of %4 (no calibration statistics)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessions.cpp" line="357"/>
        <source>Run %1 is %2: %3 of %4 layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessions.cpp" line="393"/>
        <source>A session needs a name</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QuantizeModelJob</name>
    <message>
        <location filename="../app/studio/jobkinds/quantizemodel.cpp" line="17"/>
        <source>Quantize model</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RankSweepJobKind</name>
    <message>
        <location filename="../app/studio/jobkinds/ranksweep.cpp" line="21"/>
        <source>Rank sweep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobkinds/ranksweep.cpp" line="28"/>
        <source>No evaluation text is set.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobkinds/ranksweep.cpp" line="29"/>
        <source>Run Jobs &gt; Evaluate perplexity once and choose the text file.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RankSweepView</name>
    <message>
        <location filename="../app/studio/views/ranksweepview.h" line="23"/>
        <source>Perplexity vs rank</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SpectrumView</name>
    <message>
        <location filename="../app/studio/views/spectrumview.cpp" line="61"/>
        <source>LQER: σ(αE)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/spectrumview.cpp" line="62"/>
        <source>%1: σ(SE)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/spectrumview.cpp" line="65"/>
        <source>%1: σ(E)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/spectrumview.cpp" line="77"/>
        <location filename="../app/studio/views/spectrumview.cpp" line="86"/>
        <source>Marchenko–Pastur (i.i.d., same energy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/spectrumview.h" line="21"/>
        <source>Error spectrum</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StudioActions</name>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="112"/>
        <source>Show %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="113"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="114"/>
        <source>Open &amp;recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="115"/>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="116"/>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="117"/>
        <source>&amp;Jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="118"/>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="119"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="120"/>
        <source>Main toolbar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="121"/>
        <source>&amp;Open checkpoint…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="123"/>
        <source>Open a Hugging Face checkpoint folder (Ctrl+O); you can also drop a folder on the window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="124"/>
        <source>Load calibration &amp;statistics…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="125"/>
        <source>&amp;Export view…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="126"/>
        <source>Export &amp;quantized checkpoint…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="128"/>
        <source>Write the quantized model: packed LQER checkpoint or dequantized Hugging Face folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="129"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="130"/>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="131"/>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="132"/>
        <source>&amp;Analyze selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="133"/>
        <source>Quantize and decompose the selected layers (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="134"/>
        <source>&amp;Quantize model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="135"/>
        <source>Run the plan on every layer of the model (Ctrl+F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="136"/>
        <source>&amp;Calibrate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="137"/>
        <source>Collect activation statistics for L²QER / QERA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="138"/>
        <source>&amp;Evaluate perplexity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="139"/>
        <source>Rank &amp;sweep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="140"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="141"/>
        <source>Stop the running job (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="142"/>
        <source>&amp;Marchenko–Pastur overlay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/studioactions.cpp" line="143"/>
        <source>&amp;About LQER Studio</source>
        <translation type="unfinished"></translation>
    </message>
</context>
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
        <source>Select a layer to see where its quantization error sits, before and after the low-rank correction.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="41"/>
        <source>Input channel (column of W)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="42"/>
        <source>Output channel (row of W)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="43"/>
        <source>|E| (Wq only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="43"/>
        <source>|E − Ẽ| (Wq + AB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="44"/>
        <source>Quantization error |E|, Wq only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="45"/>
        <source>Reconstruction error |E − Ẽ|, Wq + AB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="125"/>
        <source>row %1, column %2
|error| = %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="127"/>
        <source>rows %1–%2, columns %3–%4
mean |error| = %5
max |error| = %6</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lqer::ErrorHeatmapPanel</name>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="177"/>
        <source>&amp;Show:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="178"/>
        <source>Before: Wq only (|E|)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="179"/>
        <source>After: Wq + AB (|E − Ẽ|)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="180"/>
        <source>&amp;Cells:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="181"/>
        <source>Mean of block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="182"/>
        <source>Max of block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="190"/>
        <source>Select a layer and run an analysis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="192"/>
        <source>%1 × %2 matrix shown as %3 × %4 blocks of %5 × %6</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="200"/>
        <source>%1 × %2 matrix, full resolution</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lqer::ExportDialog</name>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="104"/>
        <source>Output folder not empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="124"/>
        <source>%1 (ETA %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="191"/>
        <source>Cancelling… (the partial folder is removed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="203"/>
        <source>An export is already running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="205"/>
        <source>No checkpoint to export: open one first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="208"/>
        <source>Choose an output folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="212"/>
        <source>%1 is a file, not a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="214"/>
        <source>The folder %1 is not empty. Export into it anyway? Only the files of an earlier export there are replaced; other files are kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="219"/>
        <source>Export refused: %1 is not empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="263"/>
        <source>Exporting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="264"/>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="288"/>
        <source>Done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="291"/>
        <source>Cancelled: nothing was written to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="293"/>
        <source>Export failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/studio/exportdialog.cpp" line="305"/>
        <source>Wrote %n file(s), %1, to %2 in %3.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/studio/exportdialog.cpp" line="308"/>
        <source>%n quantized layer(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="311"/>
        <source>%1 bits per weight in the packed arrays (%2 from the formats).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="316"/>
        <source>Dequantized: the plan&apos;s formats make %1 bits per weight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="323"/>
        <source>Output folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="365"/>
        <source>Export quantized checkpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="367"/>
        <source>Model: %1 — plan: %2%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="368"/>
        <source>custom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="369"/>
        <source> (no statistics: L²QER layers use LQER)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="370"/>
        <source>Open a checkpoint first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="371"/>
        <source>Format:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="372"/>
        <source>&amp;Packed LQER checkpoint (codes, exponents, A and B as stored in hardware)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="373"/>
        <source>&amp;Dequantized Hugging Face folder (for standard tools)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="374"/>
        <source>&amp;Merge A·B into the weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="375"/>
        <source>Store Wq + (A·B)ᵀ instead of Wq alone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="376"/>
        <source>&amp;Float type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="377"/>
        <source>&amp;Output folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="378"/>
        <source>&amp;Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="379"/>
        <source>&amp;Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="380"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="381"/>
        <source>&amp;Open exported model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="382"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lqer::JobRunner</name>
    <message>
        <location filename="../app/studio/jobrunner.cpp" line="146"/>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobrunner.cpp" line="148"/>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobrunner.cpp" line="149"/>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lqer::JobStatus</name>
    <message>
        <location filename="../app/studio/jobstatus.cpp" line="44"/>
        <source>ETA –</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobstatus.cpp" line="52"/>
        <source>ETA %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/jobstatus.cpp" line="53"/>
        <location filename="../app/studio/jobstatus.cpp" line="58"/>
        <source>UI stall max %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lqer::LayerBrowser</name>
    <message>
        <location filename="../app/studio/layerbrowser.cpp" line="55"/>
        <source>Invalid regular expression</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layerbrowser.cpp" line="89"/>
        <source>Filter layers by name…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layerbrowser.cpp" line="90"/>
        <source>Regex</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lqer::LayerBrowserModel</name>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="55"/>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="55"/>
        <source>Shape (out × in)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="55"/>
        <source>DType</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="55"/>
        <source>Parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="56"/>
        <source>Bits/w</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="56"/>
        <source>eₐ (mean |E−Ẽ|)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="56"/>
        <source>Rel. error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="56"/>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="59"/>
        <location filename="../app/studio/layermodels.cpp" line="95"/>
        <source>Block %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="176"/>
        <source>%1, k = %2
plain eₐ %3 → %4</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lqer::LayerErrorChart</name>
    <message>
        <location filename="../widgets/layererrorchart.cpp" line="49"/>
        <source>Quantize the model (Jobs &gt; Quantize model) to compare the error of every layer.
Clicking a bar selects its layer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/layererrorchart.cpp" line="51"/>
        <location filename="../widgets/layererrorchart.cpp" line="115"/>
        <source>Layer (model order)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/layererrorchart.cpp" line="52"/>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/layererrorchart.cpp" line="115"/>
        <source>Layer (sorted by error)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/layererrorchart.cpp" line="179"/>
        <source>not computed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lqer::MainWindow</name>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="141"/>
        <source>About LQER Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="142"/>
        <source>&lt;b&gt;LQER Studio %1&lt;/b&gt;&lt;p&gt;Post-training quantization of LLMs with low-rank quantization error reconstruction (LQER / L²QER, Zhang et al., ICML 2024).&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="204"/>
        <source>Check that the session database is writable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="247"/>
        <source>%1 — LQER Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="247"/>
        <source>LQER Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="255"/>
        <source>Layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="256"/>
        <source>Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="257"/>
        <location filename="../app/studio/mainwindow.cpp" line="548"/>
        <source>Sessions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="262"/>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="263"/>
        <source>Open a checkpoint to begin (Ctrl+O or drop a folder)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="284"/>
        <source>Open checkpoint folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="297"/>
        <source>Cannot open checkpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="298"/>
        <source>Choose a Hugging Face model folder with config.json and *.safetensors files (a LLaMA, Mistral, OPT, GPT-NeoX or GPT-2 model).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="346"/>
        <source>Opened the packed LQER checkpoint %1: %2 quantized layers; it can be evaluated (Jobs &gt; Evaluate perplexity), not re-quantized</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="352"/>
        <source>Opened %1: %2 linear layers, %3 parameters, in %4 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="437"/>
        <source>Export view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="448"/>
        <source>Export failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="448"/>
        <source>Choose another folder or file name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="450"/>
        <source>Exported %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="492"/>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="518"/>
        <source>%1: cancelled after %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="522"/>
        <source>%1 failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="523"/>
        <source>Check the plan (formats, rank) and the input files named above, then run the job again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="525"/>
        <source>%1: done in %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="258"/>
        <location filename="../app/studio/mainwindow.cpp" line="548"/>
        <source>Sessions (unavailable)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="557"/>
        <source>Cannot compare the runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="557"/>
        <source>Choose two runs of the list.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lqer::PlanEditor</name>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="169"/>
        <source>&amp;Preset:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="170"/>
        <source>Apply preset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="171"/>
        <source>Replace the whole plan by the preset (undoable)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="172"/>
        <source>&amp;Method:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="173"/>
        <source>&amp;Rank k:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="174"/>
        <source>W &amp;bits:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="175"/>
        <source>B&amp;lock:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="176"/>
        <source>&amp;Activations:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="177"/>
        <source>Apply to &amp;selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="178"/>
        <source>Apply to a&amp;ll</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="180"/>
        <source>Set method, rank, weight bits, block and activation format of the selected layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="181"/>
        <source>Set method, rank, weight bits, block and activation format of every layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/studio/planeditor.cpp" line="263"/>
        <source>Set %1 k=%2 W%3 B%4 on %n layer(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="277"/>
        <source>Apply preset %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lqer::PlanTableModel</name>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="268"/>
        <source>%1
(overrides the plan defaults)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="279"/>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="279"/>
        <source>no (fp32)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="304"/>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="306"/>
        <source>Quantize</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="308"/>
        <source>Weight format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="310"/>
        <source>W bits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="312"/>
        <source>Block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="314"/>
        <source>Activations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="316"/>
        <source>Method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="318"/>
        <source>Rank k</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="320"/>
        <source>Bits/w</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="348"/>
        <source>Set %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/studio/layermodels.cpp" line="349"/>
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
        <location filename="../widgets/plotview.cpp" line="52"/>
        <source>PNG image (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/plotview.cpp" line="52"/>
        <source>SVG vector image (*.svg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/plotview.cpp" line="52"/>
        <source>PDF document (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/plotview.cpp" line="81"/>
        <source>Cannot export %1: unknown format &quot;%2&quot; (use .png, .svg or .pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/plotview.cpp" line="84"/>
        <source>Cannot write %1: check that the folder exists and is writable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/plotview.cpp" line="134"/>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/plotview.cpp" line="135"/>
        <source>Reset zoom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/plotview.cpp" line="152"/>
        <source>Export plot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/plotview.cpp" line="164"/>
        <source>Export failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lqer::RankSweepPlot</name>
    <message>
        <location filename="../widgets/ranksweepplot.cpp" line="27"/>
        <source>Run a rank sweep (Jobs &gt; Rank sweep) to plot perplexity against the rank k,
with FP32 and plain quantization as reference lines.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/ranksweepplot.cpp" line="29"/>
        <source>Rank k (log₂ scale)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/ranksweepplot.cpp" line="30"/>
        <source>Perplexity (lower is better)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/ranksweepplot.cpp" line="112"/>
        <source>FP32 (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/ranksweepplot.cpp" line="114"/>
        <source>Plain, k = 0 (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/ranksweepplot.cpp" line="145"/>
        <source>%1, k = %2
perplexity %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/ranksweepplot.cpp" line="150"/>
        <source>
+%1 vs FP32</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lqer::RunComparisonView</name>
    <message>
        <location filename="../widgets/runcomparison.cpp" line="139"/>
        <source>&amp;Metric:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/runcomparison.cpp" line="140"/>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/runcomparison.cpp" line="140"/>
        <location filename="../widgets/runcomparison.cpp" line="141"/>
        <source>Run A</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/runcomparison.cpp" line="140"/>
        <location filename="../widgets/runcomparison.cpp" line="141"/>
        <source>Run B</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/runcomparison.cpp" line="140"/>
        <location filename="../widgets/runcomparison.cpp" line="141"/>
        <source>B − A</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/runcomparison.cpp" line="140"/>
        <source>B / A</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/runcomparison.cpp" line="141"/>
        <source>Perplexity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/runcomparison.cpp" line="148"/>
        <source>Select two runs in the Sessions panel and press Compare.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/runcomparison.cpp" line="155"/>
        <source>&lt;b&gt;A&lt;/b&gt;: %1 &amp;nbsp;&amp;nbsp; &lt;b&gt;B&lt;/b&gt;: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/runcomparison.cpp" line="191"/>
        <source>No perplexity evaluated for these plans yet (Jobs &gt; Evaluate perplexity).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lqer::SessionBrowser</name>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="119"/>
        <source>Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="123"/>
        <source>Delete session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="141"/>
        <source>Rename session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="149"/>
        <source>Duplicate session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="150"/>
        <source>%1 (copy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="175"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="175"/>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="175"/>
        <location filename="../app/studio/sessionbrowser.cpp" line="284"/>
        <source>Runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="175"/>
        <source>Last run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="175"/>
        <source>Modified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="177"/>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="177"/>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="177"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="177"/>
        <source>Layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="177"/>
        <source>Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="177"/>
        <source>Perplexity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="177"/>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="178"/>
        <source>&amp;Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="179"/>
        <source>Open the session: its model, plan and stored results (no recomputation)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="180"/>
        <source>Re&amp;name…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="181"/>
        <source>D&amp;uplicate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="182"/>
        <source>A new session with the same model and plan (without the runs)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="183"/>
        <source>&amp;Delete…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="184"/>
        <source>&amp;Compare</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="185"/>
        <source>Select two runs (Ctrl+click) and compare them side by side</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="196"/>
        <source>No session database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="197"/>
        <source>Sessions unavailable: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/studio/sessionbrowser.cpp" line="212"/>
        <source>%n session(s) in %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="292"/>
        <source>Runs of the selected session (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/studio/sessionbrowser.cpp" line="298"/>
        <source>%n point(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="302"/>
        <source>%1 %2 ± %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="308"/>
        <source> (KL from FP32 %1, top-1 agreement %2 %)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="379"/>
        <location filename="../app/studio/sessionbrowser.cpp" line="389"/>
        <location filename="../app/studio/sessionbrowser.cpp" line="403"/>
        <source>No session is selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="381"/>
        <source>Cannot rename the session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="392"/>
        <source>Cannot duplicate the session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="406"/>
        <source>Delete the session &quot;%1&quot; and its %2 run(s)? This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="407"/>
        <source>Deletion cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessionbrowser.cpp" line="411"/>
        <source>Cannot delete the session</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lqer::SessionController</name>
    <message>
        <location filename="../app/studio/sessioncontroller.cpp" line="54"/>
        <source>Session database unavailable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessioncontroller.cpp" line="55"/>
        <source>The studio works on without sessions (nothing is saved). The file was not changed; choose another one with --db FILE or LQER_SESSIONS_DB.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessioncontroller.cpp" line="81"/>
        <source>No session database is open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessioncontroller.cpp" line="84"/>
        <source>No checkpoint is open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessioncontroller.cpp" line="132"/>
        <location filename="../app/studio/sessioncontroller.cpp" line="169"/>
        <location filename="../app/studio/sessioncontroller.cpp" line="192"/>
        <source>Cannot save the plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessioncontroller.cpp" line="132"/>
        <location filename="../app/studio/sessioncontroller.cpp" line="169"/>
        <location filename="../app/studio/sessioncontroller.cpp" line="192"/>
        <location filename="../app/studio/sessioncontroller.cpp" line="238"/>
        <source>Check the session database (--db).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessioncontroller.cpp" line="143"/>
        <location filename="../app/studio/sessioncontroller.cpp" line="151"/>
        <source>Cannot save the run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessioncontroller.cpp" line="144"/>
        <location filename="../app/studio/sessioncontroller.cpp" line="152"/>
        <source>The results stay in the window; check the session database (--db).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessioncontroller.cpp" line="202"/>
        <source>The model files changed since this session was saved (%1): the stored results were computed from other weights. Re-run the jobs to refresh them. (fingerprint %2… now %3…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessioncontroller.cpp" line="208"/>
        <source>Model files changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessioncontroller.cpp" line="221"/>
        <source>The session&apos;s statistics %1 are missing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessioncontroller.cpp" line="223"/>
        <source>The session&apos;s statistics %1 changed since; not loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessioncontroller.cpp" line="237"/>
        <location filename="../app/studio/sessioncontroller.cpp" line="248"/>
        <source>Cannot open the session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessioncontroller.cpp" line="246"/>
        <source>Session &quot;%1&quot;: its model %2 cannot be opened: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessioncontroller.cpp" line="249"/>
        <source>Move the model back to %1, or open the model and start a new session.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessioncontroller.cpp" line="274"/>
        <source>%1 — %2 — LQER Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/sessioncontroller.cpp" line="279"/>
        <source>Reopened session &quot;%1&quot;: %2 stored layer results, %3 run(s), in %4 ms. %5</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lqer::SpectrumPlot</name>
    <message>
        <location filename="../widgets/spectrumplot.cpp" line="27"/>
        <source>Select a layer to see the singular values of its quantization error:
LQER (σ of αE) against L²QER and QERA (σ of SE). L²QER and QERA need calibration statistics (Jobs &gt; Calibrate).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/spectrumplot.cpp" line="29"/>
        <source>Singular value index i</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/spectrumplot.cpp" line="30"/>
        <source>Singular value σᵢ (log scale)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/spectrumplot.cpp" line="31"/>
        <source>Quantization error spectrum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/spectrumplot.cpp" line="32"/>
        <source>Quantization error spectrum — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/spectrumplot.cpp" line="136"/>
        <source>σ index %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/spectrumplot.cpp" line="149"/>
        <source>inside the rank-%1 term</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/spectrumplot.cpp" line="149"/>
        <source>left as error (i &gt; k)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RankExplorerView</name>
    <message>
        <location filename="../app/studio/views/rankexplorerview.cpp" line="1"/>
        <source>Rank explorer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/rankexplorerview.cpp" line="1"/>
        <source>Allocated (%1 bits/weight)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/rankexplorerview.cpp" line="1"/>
        <source>Best uniform: %1, k = %2 (%3 bits/weight)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/rankexplorerview.cpp" line="1"/>
        <source>%1
%2, %3 bits/weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/rankexplorerview.cpp" line="1"/>
        <source>Load the per-layer curves of this model (lqer allocate MODEL --calib FILE --save-curves curves.json)
to allocate weight format and rank per layer under a bit budget.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/rankexplorerview.cpp" line="1"/>
        <source>Layer (model order)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/rankexplorerview.cpp" line="1"/>
        <source>Bits per weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/rankexplorerview.cpp" line="1"/>
        <source>Load curves…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/rankexplorerview.cpp" line="1"/>
        <source>Apply to plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/rankexplorerview.cpp" line="1"/>
        <source>Load per-layer curves</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/rankexplorerview.cpp" line="1"/>
        <source>Curves (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/rankexplorerview.cpp" line="1"/>
        <source>Load curves</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/rankexplorerview.cpp" line="1"/>
        <source>Save them for this model with lqer allocate MODEL --calib FILE --save-curves FILE.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/rankexplorerview.cpp" line="1"/>
        <source>%1: layer %2 is not a layer of the open model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/rankexplorerview.cpp" line="1"/>
        <source>Budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/rankexplorerview.cpp" line="1"/>
        <source>No curves loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/rankexplorerview.cpp" line="1"/>
        <source>Budget %1 bits/weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/rankexplorerview.cpp" line="1"/>
        <source>No plan fits this budget.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/rankexplorerview.cpp" line="1"/>
        <source>Allocated: %1 bits/weight, predicted loss %2 (%3); re-allocated in %4 ms.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/rankexplorerview.cpp" line="1"/>
        <source>KL, scaled by each layer's measured sensitivity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/rankexplorerview.cpp" line="1"/>
        <source>scaled residual energy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/rankexplorerview.cpp" line="1"/>
        <source>Best uniform plan: %1, k = %2, %3 bits/weight, predicted loss %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/studio/views/rankexplorerview.cpp" line="1"/>
        <source>Apply allocation (%1 bits/weight)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
