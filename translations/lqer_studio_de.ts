<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>lqer::CostChart</name>
    <message>
        <location filename="../widgets/costpanel.cpp" line="29" />
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <location filename="../widgets/costpanel.cpp" line="30" />
        <source>Bits per weight</source>
        <translation>Bits pro Gewicht</translation>
    </message>
    <message>
        <location filename="../widgets/costpanel.cpp" line="63" />
        <source>%1
%2 bits per weight</source>
        <translation>%1
%2 Bits pro Gewicht</translation>
    </message>
</context>
<context>
    <name>lqer::CostPanel</name>
    <message>
        <location filename="../widgets/costpanel.cpp" line="106" />
        <source>Average bits per weight (model)</source>
        <translation>Mittlere Bits pro Gewicht (Modell)</translation>
    </message>
    <message>
        <location filename="../widgets/costpanel.cpp" line="107" />
        <source>Average bits, paper convention</source>
        <translation>Mittlere Bits, Konvention des Papers</translation>
    </message>
    <message>
        <location filename="../widgets/costpanel.cpp" line="108" />
        <source>Circuit area vs FP16</source>
        <translation>Schaltungsfläche relativ zu FP16</translation>
    </message>
    <message>
        <location filename="../widgets/costpanel.cpp" line="109" />
        <source>Estimated perplexity (proxy)</source>
        <translation>Geschätzte Perplexität (Näherung)</translation>
    </message>
    <message>
        <location filename="../widgets/costpanel.cpp" line="110" />
        <source>Perplexity (evaluated)</source>
        <translation>Perplexität (ausgewertet)</translation>
    </message>
    <message>
        <location filename="../widgets/costpanel.cpp" line="111" />
        <source>Perplexity FP32</source>
        <translation>Perplexität FP32</translation>
    </message>
    <message>
        <location filename="../widgets/costpanel.cpp" line="139" />
        <source>Cost of the plan</source>
        <translation>Kosten des Plans</translation>
    </message>
    <message>
        <location filename="../widgets/costpanel.cpp" line="140" />
        <source>Cost of the plan: %1</source>
        <translation>Kosten des Plans: %1</translation>
    </message>
</context>
<context>
    <name>lqer::ErrorHeatmap</name>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="39" />
        <source>Input channel (column of W)</source>
        <translation>Eingangskanal (Spalte von W)</translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="40" />
        <source>Output channel (row of W)</source>
        <translation>Ausgangskanal (Zeile von W)</translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="41" />
        <source>|E| (Wq only)</source>
        <translation>|E| (nur Wq)</translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="41" />
        <source>|E − Ẽ| (Wq + AB)</source>
        <translation>|E − Ẽ| (Wq + AB)</translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="42" />
        <source>Quantization error |E|, Wq only</source>
        <translation>Quantisierungsfehler |E|, nur Wq</translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="43" />
        <source>Reconstruction error |E − Ẽ|, Wq + AB</source>
        <translation>Rekonstruktionsfehler |E − Ẽ|, Wq + AB</translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="123" />
        <source>row %1, column %2
|error| = %3</source>
        <translation>Zeile %1, Spalte %2
|Fehler| = %3</translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="125" />
        <source>rows %1–%2, columns %3–%4
mean |error| = %5
max |error| = %6</source>
        <translation>Zeilen %1–%2, Spalten %3–%4
mittlerer |Fehler| = %5
maximaler |Fehler| = %6</translation>
    </message>
</context>
<context>
    <name>lqer::ErrorHeatmapPanel</name>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="175" />
        <source>&amp;Show:</source>
        <translation>&amp;Anzeigen:</translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="176" />
        <source>Before: Wq only (|E|)</source>
        <translation>Vorher: nur Wq (|E|)</translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="177" />
        <source>After: Wq + AB (|E − Ẽ|)</source>
        <translation>Nachher: Wq + AB (|E − Ẽ|)</translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="178" />
        <source>&amp;Cells:</source>
        <translation>&amp;Zellen:</translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="179" />
        <source>Mean of block</source>
        <translation>Mittelwert des Blocks</translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="180" />
        <source>Max of block</source>
        <translation>Maximum des Blocks</translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="188" />
        <source>Select a layer and run an analysis</source>
        <translation>Wählen Sie eine Schicht und starten Sie eine Analyse</translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="190" />
        <source>%1 × %2 matrix shown as %3 × %4 blocks of %5 × %6</source>
        <translation>%1 × %2-Matrix, dargestellt als %3 × %4 Blöcke zu %5 × %6</translation>
    </message>
    <message>
        <location filename="../widgets/errorheatmap.cpp" line="198" />
        <source>%1 × %2 matrix, full resolution</source>
        <translation>%1 × %2-Matrix, volle Auflösung</translation>
    </message>
</context>
<context>
    <name>lqer::JobRunner</name>
    <message>
        <location filename="../app/studio/jobrunner.cpp" line="135" />
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location filename="../app/studio/jobrunner.cpp" line="137" />
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <location filename="../app/studio/jobrunner.cpp" line="138" />
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
</context>
<context>
    <name>lqer::LayerBrowserModel</name>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="51" />
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="51" />
        <source>Shape (out × in)</source>
        <translation>Form (aus × ein)</translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="51" />
        <source>DType</source>
        <translation>Datentyp</translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="51" />
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="51" />
        <source>Bits/w</source>
        <translation>Bits/Gew.</translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="52" />
        <source>eₐ (mean |E−Ẽ|)</source>
        <translation>eₐ (mittl. |E−Ẽ|)</translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="52" />
        <source>Rel. error</source>
        <translation>Rel. Fehler</translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="52" />
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="55" />
        <location filename="../app/studio/layermodels.cpp" line="91" />
        <source>Block %1</source>
        <translation>Block %1</translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="165" />
        <source>%1, k = %2
plain eₐ %3 → %4</source>
        <translation>%1, k = %2
eₐ ohne Korrektur %3 → %4</translation>
    </message>
</context>
<context>
    <name>lqer::LayerErrorChart</name>
    <message>
        <location filename="../widgets/layererrorchart.cpp" line="41" />
        <location filename="../widgets/layererrorchart.cpp" line="105" />
        <source>Layer (model order)</source>
        <translation>Schicht (Modellreihenfolge)</translation>
    </message>
    <message>
        <location filename="../widgets/layererrorchart.cpp" line="42" />
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <location filename="../widgets/layererrorchart.cpp" line="105" />
        <source>Layer (sorted by error)</source>
        <translation>Schicht (nach Fehler sortiert)</translation>
    </message>
    <message>
        <location filename="../widgets/layererrorchart.cpp" line="168" />
        <source>not computed</source>
        <translation>nicht berechnet</translation>
    </message>
</context>
<context>
    <name>lqer::MainWindow</name>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="180" />
        <source>About LQER Studio</source>
        <translation>Über LQER Studio</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="181" />
        <source>&lt;b&gt;LQER Studio %1&lt;/b&gt;&lt;p&gt;Post-training quantization of LLMs with low-rank quantization error reconstruction (LQER / L²QER, Zhang et al., ICML 2024).&lt;/p&gt;</source>
        <translation>&lt;b&gt;LQER Studio %1&lt;/b&gt;&lt;p&gt;Quantisierung von LLMs nach dem Training mit niedrigrangiger Rekonstruktion des Quantisierungsfehlers (LQER / L²QER, Zhang et al., ICML 2024).&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="283" />
        <source>Invalid regular expression</source>
        <translation>Ungültiger regulärer Ausdruck</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="373" />
        <source>%1 — LQER Studio</source>
        <translation>%1 — LQER Studio</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="373" />
        <source>LQER Studio</source>
        <translation>LQER Studio</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="374" />
        <source>Error spectrum</source>
        <translation>Fehlerspektrum</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="375" />
        <source>Error heatmap</source>
        <translation>Fehler-Heatmap</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="376" />
        <source>Per-layer error</source>
        <translation>Fehler je Schicht</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="377" />
        <source>Perplexity vs rank</source>
        <translation>Perplexität über Rang</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="378" />
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="380" />
        <source>Show %1</source>
        <translation>%1 anzeigen</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="381" />
        <source>Sort by error</source>
        <translation>Nach Fehler sortieren</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="382" />
        <location filename="../app/studio/mainwindow.cpp" line="913" />
        <source>Mean absolute error eₐ</source>
        <translation>Mittlerer absoluter Fehler eₐ</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="383" />
        <source>Relative error ‖E−Ẽ‖/‖W‖</source>
        <translation>Relativer Fehler ‖E−Ẽ‖/‖W‖</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="384" />
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="385" />
        <source>Open &amp;recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="386" />
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="387" />
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="388" />
        <source>&amp;Jobs</source>
        <translation>&amp;Aufträge</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="389" />
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="390" />
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="391" />
        <source>Main toolbar</source>
        <translation>Hauptwerkzeugleiste</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="392" />
        <source>&amp;Open checkpoint…</source>
        <translation>Checkpoint ö&amp;ffnen…</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="393" />
        <source>Open a Hugging Face checkpoint folder (Ctrl+O); you can also drop a folder on the window</source>
        <translation>Einen Hugging-Face-Checkpoint-Ordner öffnen (Strg+O); Sie können einen Ordner auch auf das Fenster ziehen</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="394" />
        <source>Load calibration &amp;statistics…</source>
        <translation>Kalibrierungs&amp;statistik laden…</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="395" />
        <source>&amp;Export view…</source>
        <translation>Ansicht &amp;exportieren…</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="396" />
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="397" />
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="398" />
        <source>&amp;Redo</source>
        <translation>&amp;Wiederherstellen</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="399" />
        <source>&amp;Analyze selected</source>
        <translation>Auswahl &amp;analysieren</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="400" />
        <source>Quantize and decompose the selected layers (F5)</source>
        <translation>Die ausgewählten Schichten quantisieren und zerlegen (F5)</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="401" />
        <source>&amp;Quantize model</source>
        <translation>Modell &amp;quantisieren</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="402" />
        <source>Run the plan on every layer of the model (Ctrl+F5)</source>
        <translation>Den Plan auf jede Schicht des Modells anwenden (Strg+F5)</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="403" />
        <source>&amp;Calibrate</source>
        <translation>&amp;Kalibrieren</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="404" />
        <source>Collect activation statistics for L²QER / QERA</source>
        <translation>Aktivierungsstatistik für L²QER / QERA sammeln</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="405" />
        <source>&amp;Evaluate perplexity</source>
        <translation>Perplexität &amp;auswerten</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="406" />
        <source>Rank &amp;sweep</source>
        <translation>&amp;Rang-Durchlauf</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="407" />
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="408" />
        <source>Stop the running job (Esc)</source>
        <translation>Den laufenden Auftrag anhalten (Esc)</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="409" />
        <source>&amp;Marchenko–Pastur overlay</source>
        <translation>&amp;Marchenko–Pastur-Überlagerung</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="410" />
        <source>&amp;About LQER Studio</source>
        <translation>&amp;Über LQER Studio</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="413" />
        <source>Layers</source>
        <translation>Schichten</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="414" />
        <source>Plan</source>
        <translation>Plan</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="415" />
        <source>Filter layers by name…</source>
        <translation>Schichten nach Namen filtern…</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="416" />
        <source>Regex</source>
        <translation>Regex</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="421" />
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="421" />
        <source>Open a checkpoint to begin (Ctrl+O or drop a folder)</source>
        <translation>Öffnen Sie einen Checkpoint, um zu beginnen (Strg+O oder Ordner hierher ziehen)</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="440" />
        <source>Open checkpoint folder</source>
        <translation>Checkpoint-Ordner öffnen</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="453" />
        <source>Cannot open checkpoint</source>
        <translation>Checkpoint kann nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="454" />
        <source>Choose a Hugging Face model folder with config.json and *.safetensors files (a LLaMA, Mistral, OPT, GPT-NeoX or GPT-2 model).</source>
        <translation>Wählen Sie einen Hugging-Face-Modellordner mit config.json und *.safetensors-Dateien (ein LLaMA-, Mistral-, OPT-, GPT-NeoX- oder GPT-2-Modell).</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="487" />
        <source>Opened %1: %2 linear layers, %3 parameters, in %4 ms</source>
        <translation>%1 geöffnet: %2 lineare Schichten, %3 Parameter, in %4 ms</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="587" />
        <source>Export view</source>
        <translation>Ansicht exportieren</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="598" />
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="598" />
        <source>Choose another folder or file name.</source>
        <translation>Wählen Sie einen anderen Ordner oder Dateinamen.</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="600" />
        <source>Exported %1</source>
        <translation>%1 exportiert</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="641" />
        <location filename="../app/studio/mainwindow.cpp" line="643" />
        <source>Layer detail</source>
        <translation>Schichtdetails</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="653" />
        <source>Marchenko–Pastur (i.i.d., same energy)</source>
        <translation>Marchenko–Pastur (u.i.v., gleiche Energie)</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="669" />
        <source>Nothing to analyze</source>
        <translation>Nichts zu analysieren</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="669" />
        <source>No layer is selected.</source>
        <translation>Keine Schicht ausgewählt.</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="670" />
        <source>Select layers in the layer list or the plan table, or use Jobs &gt; Quantize model.</source>
        <translation>Wählen Sie Schichten in der Schichtliste oder der Plantabelle, oder verwenden Sie Aufträge &gt; Modell quantisieren.</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/studio/mainwindow.cpp" line="677" />
        <source>Analyze %n layer(s)</source>
        <translation><numerusform>%n Schicht analysieren</numerusform><numerusform>%n Schichten analysieren</numerusform></translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="689" />
        <source>Quantize model</source>
        <translation>Modell quantisieren</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="702" />
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="707" />
        <source>Load calibration statistics</source>
        <translation>Kalibrierungsstatistik laden</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="709" />
        <source>Statistics (*.safetensors);;All files (*)</source>
        <translation>Statistik (*.safetensors);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="720" />
        <source>Cannot load statistics</source>
        <translation>Statistik kann nicht geladen werden</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="721" />
        <source>Choose a statistics file written by "lqer calibrate" for this model.</source>
        <translation>Wählen Sie eine von „lqer calibrate“ für dieses Modell geschriebene Statistikdatei.</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="728" />
        <source>Cannot use statistics</source>
        <translation>Statistik nicht verwendbar</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="728" />
        <source>%1 has no statistics for any layer of this model.</source>
        <translation>%1 enthält für keine Schicht dieses Modells eine Statistik.</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="729" />
        <source>Calibrate this model (Jobs &gt; Calibrate) or choose the statistics of the same model.</source>
        <translation>Kalibrieren Sie dieses Modell (Aufträge &gt; Kalibrieren) oder wählen Sie die Statistik desselben Modells.</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="733" />
        <source>Loaded statistics for %1 of %2 layers from %3</source>
        <translation>Statistik für %1 von %2 Schichten aus %3 geladen</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="767" />
        <source>Calibration text</source>
        <translation>Kalibrierungstext</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="767" />
        <source>Text (*.txt);;All files (*)</source>
        <translation>Text (*.txt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="772" />
        <source>Calibrate</source>
        <translation>Kalibrieren</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="792" />
        <source>Evaluation text</source>
        <translation>Auswertungstext</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="792" />
        <source>Text (*.txt *.raw);;All files (*)</source>
        <translation>Text (*.txt *.raw);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="800" />
        <source>Running estimate over %1 of %2 windows</source>
        <translation>Laufende Schätzung über %1 von %2 Fenstern</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="814" />
        <location filename="../app/studio/mainwindow.cpp" line="825" />
        <source>Evaluate perplexity</source>
        <translation>Perplexität auswerten</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="839" />
        <location filename="../app/studio/mainwindow.cpp" line="847" />
        <source>Rank sweep</source>
        <translation>Rang-Durchlauf</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="839" />
        <source>No evaluation text is set.</source>
        <translation>Es ist kein Auswertungstext festgelegt.</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="840" />
        <source>Run Jobs &gt; Evaluate perplexity once and choose the text file.</source>
        <translation>Führen Sie einmal Aufträge &gt; Perplexität auswerten aus und wählen Sie die Textdatei.</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="862" />
        <source>ETA –</source>
        <translation>Restzeit –</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="871" />
        <source>ETA %1</source>
        <translation>Restzeit %1</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="874" />
        <location filename="../app/studio/mainwindow.cpp" line="882" />
        <source>UI stall max %1 ms</source>
        <translation>Max. UI-Blockade %1 ms</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="889" />
        <source>%1: cancelled after %2</source>
        <translation>%1: abgebrochen nach %2</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="891" />
        <source>%1 failed</source>
        <translation>%1 fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="892" />
        <source>Check the plan (formats, rank) and the input files named above, then run the job again.</source>
        <translation>Prüfen Sie den Plan (Formate, Rang) und die oben genannten Eingabedateien und starten Sie den Auftrag erneut.</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="894" />
        <source>%1: done in %2</source>
        <translation>%1: fertig in %2</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="913" />
        <source>Relative error ‖E−Ẽ‖_F / ‖W‖_F</source>
        <translation>Relativer Fehler ‖E−Ẽ‖_F / ‖W‖_F</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="915" />
        <source>Wq only (plain)</source>
        <translation>Nur Wq (ohne Korrektur)</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="916" />
        <source>Wq + AB</source>
        <translation>Wq + AB</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="930" />
        <source>Wq + AB (%1)</source>
        <translation>Wq + AB (%1)</translation>
    </message>
</context>
<context>
    <name>lqer::PlanEditor</name>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="162" />
        <source>&amp;Preset:</source>
        <translation>&amp;Vorlage:</translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="163" />
        <source>Apply preset</source>
        <translation>Vorlage anwenden</translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="164" />
        <source>Replace the whole plan by the preset (undoable)</source>
        <translation>Den ganzen Plan durch die Vorlage ersetzen (rückgängig machbar)</translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="165" />
        <source>&amp;Method:</source>
        <translation>&amp;Methode:</translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="166" />
        <source>&amp;Rank k:</source>
        <translation>&amp;Rang k:</translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="167" />
        <source>W &amp;bits:</source>
        <translation>W-&amp;Bits:</translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="168" />
        <source>B&amp;lock:</source>
        <translation>B&amp;lock:</translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="169" />
        <source>&amp;Activations:</source>
        <translation>A&amp;ktivierungen:</translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="170" />
        <source>Apply to &amp;selected</source>
        <translation>Auf Au&amp;swahl anwenden</translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="171" />
        <source>Apply to a&amp;ll</source>
        <translation>Auf a&amp;lle anwenden</translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="172" />
        <source>Set method, rank, weight bits, block and activation format of the selected layers</source>
        <translation>Methode, Rang, Gewichtsbits, Block und Aktivierungsformat der ausgewählten Schichten setzen</translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="173" />
        <source>Set method, rank, weight bits, block and activation format of every layer</source>
        <translation>Methode, Rang, Gewichtsbits, Block und Aktivierungsformat aller Schichten setzen</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/studio/planeditor.cpp" line="238" />
        <source>Set %1 k=%2 W%3 B%4 on %n layer(s)</source>
        <translation><numerusform>%1 k=%2 W%3 B%4 für %n Schicht setzen</numerusform><numerusform>%1 k=%2 W%3 B%4 für %n Schichten setzen</numerusform></translation>
    </message>
    <message>
        <location filename="../app/studio/planeditor.cpp" line="252" />
        <source>Apply preset %1</source>
        <translation>Vorlage %1 anwenden</translation>
    </message>
</context>
<context>
    <name>lqer::PlanTableModel</name>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="258" />
        <source>%1
(overrides the plan defaults)</source>
        <translation>%1
(überschreibt die Standardwerte des Plans)</translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="266" />
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="266" />
        <source>no (fp32)</source>
        <translation>nein (fp32)</translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="283" />
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="284" />
        <source>Quantize</source>
        <translation>Quantisieren</translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="285" />
        <source>Weight format</source>
        <translation>Gewichtsformat</translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="286" />
        <source>W bits</source>
        <translation>W-Bits</translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="287" />
        <source>Block</source>
        <translation>Block</translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="288" />
        <source>Activations</source>
        <translation>Aktivierungen</translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="289" />
        <source>Method</source>
        <translation>Methode</translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="290" />
        <source>Rank k</source>
        <translation>Rang k</translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="291" />
        <source>Bits/w</source>
        <translation>Bits/Gew.</translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="318" />
        <source>Set %1 of %2</source>
        <translation>%1 von %2 setzen</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/studio/layermodels.cpp" line="319" />
        <source>Set %1 of %n layers</source>
        <translation><numerusform>%1 von %n Schicht setzen</numerusform><numerusform>%1 von %n Schichten setzen</numerusform></translation>
    </message>
</context>
<context>
    <name>lqer::PlotView</name>
    <message>
        <location filename="../widgets/plotview.cpp" line="23" />
        <source>PNG image (*.png)</source>
        <translation>PNG-Bild (*.png)</translation>
    </message>
    <message>
        <location filename="../widgets/plotview.cpp" line="23" />
        <source>SVG vector image (*.svg)</source>
        <translation>SVG-Vektorgrafik (*.svg)</translation>
    </message>
    <message>
        <location filename="../widgets/plotview.cpp" line="23" />
        <source>PDF document (*.pdf)</source>
        <translation>PDF-Dokument (*.pdf)</translation>
    </message>
    <message>
        <location filename="../widgets/plotview.cpp" line="51" />
        <source>Cannot export %1: unknown format "%2" (use .png, .svg or .pdf)</source>
        <translation>%1 kann nicht exportiert werden: unbekanntes Format „%2“ (verwenden Sie .png, .svg oder .pdf)</translation>
    </message>
    <message>
        <location filename="../widgets/plotview.cpp" line="55" />
        <source>Cannot write %1: check that the folder exists and is writable</source>
        <translation>%1 kann nicht geschrieben werden: prüfen Sie, ob der Ordner existiert und beschreibbar ist</translation>
    </message>
    <message>
        <location filename="../widgets/plotview.cpp" line="105" />
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
    <message>
        <location filename="../widgets/plotview.cpp" line="106" />
        <source>Reset zoom</source>
        <translation>Zoom zurücksetzen</translation>
    </message>
    <message>
        <location filename="../widgets/plotview.cpp" line="123" />
        <source>Export plot</source>
        <translation>Diagramm exportieren</translation>
    </message>
    <message>
        <location filename="../widgets/plotview.cpp" line="136" />
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../app/studio/document.cpp" line="20" />
        <location filename="../app/studio/script.cpp" line="83" />
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../app/studio/document.cpp" line="22" />
        <source>%1 has no quantizable linear layers (decoder-block linears of a supported architecture)</source>
        <translation>%1 hat keine quantisierbaren linearen Schichten (lineare Schichten in Decoder-Blöcken einer unterstützten Architektur)</translation>
    </message>
    <message>
        <location filename="../app/studio/evaljobs.cpp" line="36" />
        <source>Loading %1</source>
        <translation>%1 wird geladen</translation>
    </message>
    <message>
        <location filename="../app/studio/evaljobs.cpp" line="88" />
        <source>The evaluation text has %1 tokens, fewer than one window of %2</source>
        <translation>Der Auswertungstext hat %1 Tokens, weniger als ein Fenster von %2</translation>
    </message>
    <message>
        <location filename="../app/studio/evaljobs.cpp" line="106" />
        <source>Window %1 of %2, perplexity so far %3</source>
        <translation>Fenster %1 von %2, bisherige Perplexität %3</translation>
    </message>
    <message>
        <location filename="../app/studio/evaljobs.cpp" line="177" />
        <source>%1 is too short for one calibration sample of %2 tokens</source>
        <translation>%1 ist zu kurz für eine Kalibrierungsprobe von %2 Tokens</translation>
    </message>
    <message>
        <location filename="../app/studio/evaljobs.cpp" line="192" />
        <source>Calibration sample %1 of %2</source>
        <translation>Kalibrierungsprobe %1 von %2</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/studio/jobs.cpp" line="28" />
        <source>%n layer(s) need calibration statistics and were analysed with LQER instead: run Jobs &gt; Calibrate or File &gt; Load statistics.</source>
        <translation><numerusform>%n Schicht benötigt eine Kalibrierungsstatistik und wurde stattdessen mit LQER analysiert: führen Sie Aufträge &gt; Kalibrieren oder Datei &gt; Kalibrierungsstatistik laden aus.</numerusform><numerusform>%n Schichten benötigen eine Kalibrierungsstatistik und wurden stattdessen mit LQER analysiert: führen Sie Aufträge &gt; Kalibrieren oder Datei &gt; Kalibrierungsstatistik laden aus.</numerusform></translation>
    </message>
    <message>
        <location filename="../app/studio/jobs.cpp" line="139" />
        <source>No calibration statistics for this layer: showing LQER only.</source>
        <translation>Keine Kalibrierungsstatistik für diese Schicht: nur LQER wird angezeigt.</translation>
    </message>
    <message>
        <location filename="../app/studio/jobs.cpp" line="164" />
        <source>LQER: σ(αE)</source>
        <translation>LQER: σ(αE)</translation>
    </message>
    <message>
        <location filename="../app/studio/jobs.cpp" line="165" />
        <source>L²QER: σ(SE)</source>
        <translation>L²QER: σ(SE)</translation>
    </message>
    <message>
        <location filename="../app/studio/jobs.cpp" line="170" />
        <source>%1: σ(SE), same energy</source>
        <translation>%1: σ(SE), gleiche Energie</translation>
    </message>
    <message>
        <location filename="../app/studio/jobs.cpp" line="173" />
        <source>LQER: σ(E)</source>
        <translation>LQER: σ(E)</translation>
    </message>
    <message>
        <location filename="../app/studio/jobs.cpp" line="199" />
        <source>Decomposing %1</source>
        <translation>%1 wird zerlegt</translation>
    </message>
    <message>
        <location filename="../app/studio/jobs.cpp" line="203" />
        <source>Decomposed %1</source>
        <translation>%1 zerlegt</translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="32" />
        <location filename="../app/studio/planeditor.cpp" line="38" />
        <source>none (fp)</source>
        <translation>keins (fp)</translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="34" />
        <location filename="../app/studio/planeditor.cpp" line="38" />
        <source>INT sym</source>
        <translation>INT sym</translation>
    </message>
    <message>
        <location filename="../app/studio/layermodels.cpp" line="35" />
        <location filename="../app/studio/planeditor.cpp" line="38" />
        <source>INT asym</source>
        <translation>INT asym</translation>
    </message>
    <message>
        <location filename="../app/studio/main.cpp" line="19" />
        <source>LQER Studio: post-training quantization with low-rank error reconstruction</source>
        <translation>LQER Studio: Quantisierung nach dem Training mit niedrigrangiger Fehlerrekonstruktion</translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="20" />
        <source>Checkpoint folder to open</source>
        <translation>Zu öffnender Checkpoint-Ordner</translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="23" />
        <source>Load calibration statistics from &lt;file&gt;.</source>
        <translation>Kalibrierungsstatistik aus &lt;file&gt; laden.</translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="24" />
        <source>Run the calibration job.</source>
        <translation>Den Kalibrierungsauftrag ausführen.</translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="25" />
        <source>Quantize the whole model with the plan.</source>
        <translation>Das ganze Modell mit dem Plan quantisieren.</translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="26" />
        <source>Select &lt;layer&gt; and decompose it.</source>
        <translation>&lt;layer&gt; auswählen und zerlegen.</translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="27" />
        <source>Evaluate perplexity.</source>
        <translation>Perplexität auswerten.</translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="28" />
        <source>Evaluate at most &lt;n&gt; windows.</source>
        <translation>Höchstens &lt;n&gt; Fenster auswerten.</translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="29" />
        <source>Run a rank sweep.</source>
        <translation>Einen Rang-Durchlauf ausführen.</translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="30" />
        <source>Show &lt;view&gt;: spectrum, heatmap, layers, sweep, cost.</source>
        <translation>&lt;view&gt; anzeigen: spectrum, heatmap, layers, sweep, cost.</translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="31" />
        <source>Heatmap stage: before or after.</source>
        <translation>Heatmap-Stufe: before oder after.</translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="32" />
        <source>Save a PNG of the window to &lt;file&gt; and quit.</source>
        <translation>Ein PNG des Fensters nach &lt;file&gt; speichern und beenden.</translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="33" />
        <source>Export the current view's plot to &lt;file&gt; (.png/.svg/.pdf) and quit.</source>
        <translation>Das Diagramm der aktuellen Ansicht nach &lt;file&gt; (.png/.svg/.pdf) exportieren und beenden.</translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="35" />
        <source>User interface language: en or de.</source>
        <translation>Sprache der Oberfläche: en oder de.</translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="36" />
        <source>Window size WIDTHxHEIGHT.</source>
        <translation>Fenstergröße BREITExHÖHE.</translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="37" />
        <source>Quit after the scripted steps.</source>
        <translation>Nach den geskripteten Schritten beenden.</translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="63" />
        <source>--size %1: expected WIDTHxHEIGHT, e.g. 1600x1000</source>
        <translation>--size %1: erwartet BREITExHÖHE, z. B. 1600x1000</translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="69" />
        <source>--view %1: expected one of %2</source>
        <translation>--view %1: erwartet eines von %2</translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="71" />
        <source>--language %1: expected en or de</source>
        <translation>--language %1: erwartet en oder de</translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="73" />
        <source>the scripted jobs need a checkpoint folder argument</source>
        <translation>die geskripteten Aufträge benötigen einen Checkpoint-Ordner als Argument</translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="81" />
        <source>%1 did not finish</source>
        <translation>%1 wurde nicht beendet</translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="106" />
        <source>Calibration</source>
        <translation>Kalibrierung</translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="111" />
        <source>Quantization</source>
        <translation>Quantisierung</translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="117" />
        <source>Evaluation</source>
        <translation>Auswertung</translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="122" />
        <source>Rank sweep</source>
        <translation>Rang-Durchlauf</translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="127" />
        <source>--layer %1: no such linear layer in %2</source>
        <translation>--layer %1: keine solche lineare Schicht in %2</translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="129" />
        <source>Layer detail</source>
        <translation>Schichtdetails</translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="150" />
        <source>Cannot write the screenshot %1</source>
        <translation>Das Bildschirmfoto %1 kann nicht geschrieben werden</translation>
    </message>
    <message>
        <location filename="../app/studio/script.cpp" line="160" />
        <source>No plot is visible to export</source>
        <translation>Kein sichtbares Diagramm zum Exportieren</translation>
    </message>
</context>
<context>
    <name>lqer::RankSweepPlot</name>
    <message>
        <location filename="../widgets/ranksweepplot.cpp" line="27" />
        <source>Rank k (log₂ scale)</source>
        <translation>Rang k (log₂-Skala)</translation>
    </message>
    <message>
        <location filename="../widgets/ranksweepplot.cpp" line="28" />
        <source>Perplexity (lower is better)</source>
        <translation>Perplexität (niedriger ist besser)</translation>
    </message>
    <message>
        <location filename="../widgets/ranksweepplot.cpp" line="109" />
        <source>FP32 (%1)</source>
        <translation>FP32 (%1)</translation>
    </message>
    <message>
        <location filename="../widgets/ranksweepplot.cpp" line="111" />
        <source>Plain, k = 0 (%1)</source>
        <translation>Ohne Korrektur, k = 0 (%1)</translation>
    </message>
    <message>
        <location filename="../widgets/ranksweepplot.cpp" line="142" />
        <source>%1, k = %2
perplexity %3</source>
        <translation>%1, k = %2
Perplexität %3</translation>
    </message>
    <message>
        <location filename="../widgets/ranksweepplot.cpp" line="147" />
        <source>
+%1 vs FP32</source>
        <translation>
+%1 gegenüber FP32</translation>
    </message>
</context>
<context>
    <name>lqer::SpectrumPlot</name>
    <message>
        <location filename="../widgets/spectrumplot.cpp" line="26" />
        <source>Singular value index i</source>
        <translation>Index i des Singulärwerts</translation>
    </message>
    <message>
        <location filename="../widgets/spectrumplot.cpp" line="27" />
        <source>Singular value σᵢ (log scale)</source>
        <translation>Singulärwert σᵢ (log. Skala)</translation>
    </message>
    <message>
        <location filename="../widgets/spectrumplot.cpp" line="28" />
        <source>Quantization error spectrum</source>
        <translation>Spektrum des Quantisierungsfehlers</translation>
    </message>
    <message>
        <location filename="../widgets/spectrumplot.cpp" line="29" />
        <source>Quantization error spectrum — %1</source>
        <translation>Spektrum des Quantisierungsfehlers — %1</translation>
    </message>
    <message>
        <location filename="../widgets/spectrumplot.cpp" line="133" />
        <source>σ index %1</source>
        <translation>σ-Index %1</translation>
    </message>
    <message>
        <location filename="../widgets/spectrumplot.cpp" line="146" />
        <source>inside the rank-%1 term</source>
        <translation>im Term vom Rang %1</translation>
    </message>
    <message>
        <location filename="../widgets/spectrumplot.cpp" line="146" />
        <source>left as error (i &gt; k)</source>
        <translation>verbleibt als Fehler (i &gt; k)</translation>
    </message>
</context>
</TS>