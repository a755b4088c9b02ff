<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
    <context>
        <name>ActivationView</name>
        <message>
            <location filename="../app/studio/views/activationview.h" line="20" />
            <source>Activations</source>
            <translation>Aktivierungen</translation>
        </message>
    </context>
    <context>
        <name>AnalyzeSelectedJob</name>
        <message>
            <location filename="../app/studio/jobkinds/analyzeselected.cpp" line="19" />
            <source>Analyze selected</source>
            <translation>Auswahl analysieren</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/analyzeselected.cpp" line="28" />
            <source>Nothing to analyze</source>
            <translation>Nichts zu analysieren</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/analyzeselected.cpp" line="28" />
            <source>No layer is selected.</source>
            <translation>Keine Schicht ausgewählt.</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/analyzeselected.cpp" line="29" />
            <source>Select layers in the layer list or the plan table, or use Jobs &gt; Quantize model.</source>
            <translation>Wählen Sie Schichten in der Schichtliste oder der Plantabelle, oder verwenden Sie Aufträge &gt; Modell quantisieren.</translation>
        </message>
        <message numerus="yes">
            <location filename="../app/studio/jobkinds/analyzeselected.cpp" line="33" />
            <source>Analyze %n layer(s)</source>
            <translation>
                <numerusform>%n Schicht analysieren</numerusform>
                <numerusform>%n Schichten analysieren</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>BlockExplorerView</name>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="45" />
            <source>“%1” is not a number</source>
            <translation>„%1“ ist keine Zahl</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="49" />
            <source>type the values of a block</source>
            <translation>Geben Sie die Werte eines Blocks ein</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="165" />
            <source>Block of the current layer</source>
            <translation>Block der aktuellen Schicht</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="166" />
            <source>Typed values</source>
            <translation>Eingegebene Werte</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="167" />
            <source>row </source>
            <translation>Zeile </translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="168" />
            <source>block </source>
            <translation>Block </translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="169" />
            <source>Values separated by spaces, e.g. 1.0 0.5 -0.25 0.75</source>
            <translation>Werte durch Leerzeichen getrennt, z. B. 1.0 0.5 -0.25 0.75</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="170" />
            <source>MXINT (shared exponent)</source>
            <translation>MXINT (gemeinsamer Exponent)</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="171" />
            <source>INT symmetric (scale)</source>
            <translation>INT symmetrisch (Skala)</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="172" />
            <source>INT asymmetric (scale, zero point)</source>
            <translation>INT asymmetrisch (Skala, Nullpunkt)</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="173" />
            <source>Table: official exponent (ceil)</source>
            <translation>Tabelle: offizieller Exponent (Aufrunden)</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="174" />
            <source>Table: OCP exponent (floor)</source>
            <translation>Tabelle: OCP-Exponent (Abrunden)</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="175" />
            <source>#</source>
            <translation>#</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="175" />
            <source>Value x</source>
            <translation>Wert x</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="175" />
            <source>x / step</source>
            <translation>x / Stufe</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="175" />
            <source>Code</source>
            <translation>Code</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="175" />
            <source>Bits</source>
            <translation>Bits</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="176" />
            <source>Reconstructed x̂</source>
            <translation>Rekonstruiert x̂</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="176" />
            <source>Error x̂ − x</source>
            <translation>Fehler x̂ − x</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="177" />
            <source>Yellow: a tie, rounded to the even code. Red: clipped to the largest code.</source>
            <translation>Gelb: genau in der Mitte, zum geraden Code gerundet. Rot: auf den größten Code begrenzt.</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="305" />
            <source>width %1 bits</source>
            <translation>Breite %1 Bit</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="306" />
            <source>block %1</source>
            <translation>Block %1</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="311" />
            <source>(select a layer)</source>
            <translation>(Schicht auswählen)</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="428" />
            <source>Open a model and select a layer, or type the values of a block.</source>
            <translation>Öffnen Sie ein Modell und wählen Sie eine Schicht, oder geben Sie die Werte eines Blocks ein.</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="434" />
            <source>%1: %2 values, largest magnitude %3</source>
            <translation>%1: %2 Werte, größter Betrag %3</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="439" />
            <source>%1: E = %2 = %3, one step = %4, %5 clipped</source>
            <translation>%1: E = %2 = %3, eine Stufe = %4, %5 begrenzt</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="446" />
            <source>&lt;b&gt;Official exponent&lt;/b&gt;</source>
            <translation>&lt;b&gt;Offizieller Exponent&lt;/b&gt;</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="447" />
            <source>⌈log₂ %1⌉</source>
            <translation>⌈log₂ %1⌉</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="448" />
            <source>&lt;b&gt;OCP exponent&lt;/b&gt;</source>
            <translation>&lt;b&gt;OCP-Exponent&lt;/b&gt;</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="448" />
            <source>⌊log₂ %1⌋</source>
            <translation>⌊log₂ %1⌋</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="450" />
            <source>&lt;b&gt;Scale&lt;/b&gt; (fp16) = %1 / %2 = %3; codes %4..%5</source>
            <translation>&lt;b&gt;Skala&lt;/b&gt; (fp16) = %1 / %2 = %3; Codes %4..%5</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="457" />
            <source>&lt;b&gt;Scale&lt;/b&gt; (fp16) = (max − min) / %1 = %2; &lt;b&gt;zero point&lt;/b&gt; = %3; codes %4..%5</source>
            <translation>&lt;b&gt;Skala&lt;/b&gt; (fp16) = (max − min) / %1 = %2; &lt;b&gt;Nullpunkt&lt;/b&gt; = %3; Codes %4..%5</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="464" />
            <source>Ties rounded to even: %1 · block MSE %2 · layer MSE %3 · &lt;b&gt;%4 bits per weight&lt;/b&gt;</source>
            <translation>Zur geraden Zahl gerundete Mittelwerte: %1 · Block-MSE %2 · Schicht-MSE %3 · &lt;b&gt;%4 Bit pro Gewicht&lt;/b&gt;</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.cpp" line="467" />
            <source>—</source>
            <translation>—</translation>
        </message>
        <message>
            <location filename="../app/studio/views/blockexplorerview.h" line="43" />
            <source>Block explorer</source>
            <translation>Block-Explorer</translation>
        </message>
    </context>
    <context>
        <name>CalibrateJobKind</name>
        <message>
            <location filename="../app/studio/jobkinds/calibrate.cpp" line="24" />
            <source>Calibrate</source>
            <translation>Kalibrieren</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/calibrate.cpp" line="35" />
            <source>Calibration text</source>
            <translation>Kalibrierungstext</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/calibrate.cpp" line="36" />
            <source>Text (*.txt);;All files (*)</source>
            <translation>Text (*.txt);;Alle Dateien (*)</translation>
        </message>
    </context>
    <context>
        <name>CompareView</name>
        <message>
            <location filename="../app/studio/views/compareview.h" line="22" />
            <source>Compare runs</source>
            <translation>Läufe vergleichen</translation>
        </message>
    </context>
    <context>
        <name>CostView</name>
        <message>
            <location filename="../app/studio/views/costview.cpp" line="49" />
            <source>Running estimate over %1 of %2 windows</source>
            <translation>Laufende Schätzung über %1 von %2 Fenstern</translation>
        </message>
        <message>
            <location filename="../app/studio/views/costview.h" line="21" />
            <source>Cost</source>
            <translation>Kosten</translation>
        </message>
    </context>
    <context>
        <name>EvaluateJobKind</name>
        <message>
            <location filename="../app/studio/jobkinds/evaluate.cpp" line="24" />
            <source>Evaluate perplexity</source>
            <translation>Perplexität auswerten</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/evaluate.cpp" line="31" />
            <source>No evaluation text is set.</source>
            <translation>Es ist kein Auswertungstext festgelegt.</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/evaluate.cpp" line="31" />
            <source>Pass --eval-text FILE.</source>
            <translation>Geben Sie --eval-text DATEI an.</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/evaluate.cpp" line="35" />
            <source>Evaluation text</source>
            <translation>Auswertungstext</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/evaluate.cpp" line="36" />
            <source>Text (*.txt *.raw);;All files (*)</source>
            <translation>Text (*.txt *.raw);;Alle Dateien (*)</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/evaluate.cpp" line="84" />
            <source>Perplexity %1 ± %2</source>
            <translation>Perplexität %1 ± %2</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/evaluate.cpp" line="87" />
            <source>KL from FP32 %1 (p99 %2), top-1 agreement %3 %, Δppl %4 ± %5</source>
            <translation>KL zu FP32 %1 (p99 %2), Top-1-Übereinstimmung %3 %, Δppl %4 ± %5</translation>
        </message>
    </context>
    <context>
        <name>HeatmapView</name>
        <message>
            <location filename="../app/studio/views/heatmapview.h" line="21" />
            <source>Error heatmap</source>
            <translation>Fehler-Heatmap</translation>
        </message>
    </context>
    <context>
        <name>LayerDetailJobKind</name>
        <message>
            <location filename="../app/studio/jobkinds/layerdetail.cpp" line="20" />
            <source>Layer detail</source>
            <translation>Schichtdetails</translation>
        </message>
    </context>
    <context>
        <name>LayerErrorView</name>
        <message>
            <location filename="../app/studio/views/layererrorview.cpp" line="48" />
            <source>Sort by error</source>
            <translation>Nach Fehler sortieren</translation>
        </message>
        <message>
            <location filename="../app/studio/views/layererrorview.cpp" line="49" />
            <location filename="../app/studio/views/layererrorview.cpp" line="66" />
            <source>Mean absolute error eₐ</source>
            <translation>Mittlerer absoluter Fehler eₐ</translation>
        </message>
        <message>
            <location filename="../app/studio/views/layererrorview.cpp" line="50" />
            <source>Relative error ‖E−Ẽ‖/‖W‖</source>
            <translation>Relativer Fehler ‖E−Ẽ‖/‖W‖</translation>
        </message>
        <message>
            <location filename="../app/studio/views/layererrorview.cpp" line="66" />
            <source>Relative error ‖E−Ẽ‖_F / ‖W‖_F</source>
            <translation>Relativer Fehler ‖E−Ẽ‖_F / ‖W‖_F</translation>
        </message>
        <message>
            <location filename="../app/studio/views/layererrorview.cpp" line="68" />
            <source>Wq only (plain)</source>
            <translation>Nur Wq (ohne Korrektur)</translation>
        </message>
        <message>
            <location filename="../app/studio/views/layererrorview.cpp" line="69" />
            <source>Wq + AB</source>
            <translation>Wq + AB</translation>
        </message>
        <message>
            <location filename="../app/studio/views/layererrorview.cpp" line="84" />
            <source>Wq + AB (%1)</source>
            <translation>Wq + AB (%1)</translation>
        </message>
        <message>
            <location filename="../app/studio/views/layererrorview.h" line="24" />
            <source>Per-layer error</source>
            <translation>Fehler je Schicht</translation>
        </message>
    </context>
    <context>
        <name>Lessons</name>
        <message>
            <location filename="../app/studio/lessons.cpp" line="156" />
            <source>Lesson: method and rank</source>
            <translation>Lektion: Methode und Rang</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="193" />
            <source>Lesson: a short calibration</source>
            <translation>Lektion: eine kurze Kalibrierung</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="209" />
            <source>The block explorer shows no block yet.</source>
            <translation>Der Block-Explorer zeigt noch keinen Block.</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="243" />
            <source>Select a layer first.</source>
            <translation>Wählen Sie zuerst eine Schicht.</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="255" />
            <location filename="../app/studio/lessons.cpp" line="265" />
            <source>Run the calibration first (Try this).</source>
            <translation>Führen Sie zuerst die Kalibrierung aus („Probieren Sie“).</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="319" />
            <source>1. Number formats</source>
            <translation>1. Zahlenformate</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="321" />
            <source>A block of real weights</source>
            <translation>Ein Block echter Gewichte</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="322" />
            <source>These are 16 consecutive weights of one row of a real layer, along the input dimension. MXINT stores one shared exponent E per block and a small integer code per weight. E comes from the largest magnitude: E = ⌈log₂ max|x|⌉. One code step is worth 2^(E−(w−1)); each weight becomes the nearest code.</source>
            <translation>Das sind 16 aufeinanderfolgende Gewichte einer Zeile einer echten Schicht, entlang der Eingangsdimension. MXINT speichert pro Block einen gemeinsamen Exponenten E und pro Gewicht einen kleinen ganzzahligen Code. E ergibt sich aus dem größten Betrag: E = ⌈log₂ max|x|⌉. Eine Code-Stufe ist 2^(E−(w−1)) wert; jedes Gewicht wird zum nächstgelegenen Code.</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="328" />
            <source>Show the next block</source>
            <translation>Den nächsten Block zeigen</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="334" />
            <source>What shared exponent E (official, ceil) does the block shown get?</source>
            <translation>Welchen gemeinsamen Exponenten E (offiziell, aufgerundet) erhält der gezeigte Block?</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="338" />
            <source>Two ways to pick the exponent</source>
            <translation>Zwei Arten, den Exponenten zu wählen</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="339" />
            <source>The official LQER code rounds the exponent up (ceil); the OCP MX standard rounds it down (floor) and uses two's complement codes. With ceil, a block whose largest value is an exact power of two loses it: 1.0 needs code 8, but 4 bits hold at most 7, so 1.0 is clipped to 0.875 (red).</source>
            <translation>Der offizielle LQER-Code rundet den Exponenten auf (ceil); der OCP-MX-Standard rundet ab (floor) und verwendet Codes im Zweierkomplement. Beim Aufrunden verliert ein Block, dessen größter Wert genau eine Zweierpotenz ist, diesen Wert: 1.0 bräuchte Code 8, aber 4 Bit fassen höchstens 7, also wird 1.0 auf 0.875 begrenzt (rot).</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="344" />
            <source>Show the OCP (floor) exponent</source>
            <translation>Den OCP-Exponenten (abgerundet) zeigen</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="347" />
            <source>Round half to even</source>
            <translation>Runden zur geraden Zahl</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="348" />
            <source>When a value lies exactly halfway between two codes (yellow), the official code rounds to the even one: 4.5 → 4, 1.5 → 2, 2.5 → 2, 0.5 → 0. Half the ties go down and half go up, so rounding adds no bias. OCP rounds ties away from zero instead.</source>
            <translation>Liegt ein Wert genau in der Mitte zwischen zwei Codes (gelb), rundet der offizielle Code zum geraden: 4.5 → 4, 1.5 → 2, 2.5 → 2, 0.5 → 0. Die Hälfte dieser Fälle wird ab-, die andere aufgerundet, daher verzerrt das Runden nicht. OCP rundet solche Fälle stattdessen von null weg.</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="353" />
            <source>Compare with OCP rounding</source>
            <translation>Mit der OCP-Rundung vergleichen</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="356" />
            <source>Width and block size</source>
            <translation>Breite und Blockgröße</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="357" />
            <source>Move the sliders. More bits per code shrink the error fast; a larger block shares one 8-bit exponent among more weights, so it costs fewer bits (w + 8/B per weight) but the largest value of the block decides the step for all of them. The layer MSE is measured over every block of the layer.</source>
            <translation>Bewegen Sie die Schieberegler. Mehr Bit pro Code verkleinern den Fehler schnell; ein größerer Block teilt einen 8-Bit-Exponenten auf mehr Gewichte auf und kostet daher weniger Bit (w + 8/B pro Gewicht), aber der größte Wert des Blocks bestimmt die Stufe für alle. Die Schicht-MSE wird über alle Blöcke der Schicht gemessen.</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="362" />
            <source>Try 8 bits, block 32</source>
            <translation>8 Bit, Block 32 ausprobieren</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="369" />
            <source>How many bits per weight does MXINT4 with block 32 cost (8-bit shared exponent)?</source>
            <translation>Wie viele Bit pro Gewicht kostet MXINT4 mit Block 32 (8-Bit-Exponent)?</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="374" />
            <source>Integers with a scale and a zero point</source>
            <translation>Ganzzahlen mit Skala und Nullpunkt</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="375" />
            <source>INT formats store an fp16 scale per group instead of an exponent. Symmetric: scale = max|x| / (2^(b−1) − 1), codes around 0. Asymmetric (GPTQ, AWQ): the codes 0..2^b − 1 cover [min, max], and the zero point is the code that stands for 0.</source>
            <translation>INT-Formate speichern pro Gruppe eine fp16-Skala statt eines Exponenten. Symmetrisch: Skala = max|x| / (2^(b−1) − 1), Codes um 0. Asymmetrisch (GPTQ, AWQ): die Codes 0..2^b − 1 decken [min, max] ab, und der Nullpunkt ist der Code, der für 0 steht.</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="380" />
            <source>Switch to symmetric</source>
            <translation>Auf symmetrisch umschalten</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="383" />
            <source>What is the zero point of the block shown in INT4 asymmetric?</source>
            <translation>Welchen Nullpunkt hat der gezeigte Block in INT4 asymmetrisch?</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="393" />
            <source>2. Why the plain error is not low rank</source>
            <translation>2. Warum der reine Fehler keinen niedrigen Rang hat</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="395" />
            <source>The quantization error E</source>
            <translation>Der Quantisierungsfehler E</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="396" />
            <source>The heatmap starts with |W|, the layer's weights. Wq is what the format stores, and E = W − Wq is what quantization loses. Step through W, Wq, E and E − AB: W and Wq look alike, while E looks like noise, because every block rounds on its own, so neighbouring errors are nearly independent.</source>
            <translation>Die Heatmap beginnt mit |W|, den Gewichten der Schicht. Wq ist, was das Format speichert, und E = W − Wq ist, was die Quantisierung verliert. Gehen Sie W, Wq, E und E − AB durch: W und Wq sehen sich ähnlich, E dagegen sieht wie Rauschen aus, weil jeder Block für sich rundet; benachbarte Fehler sind daher fast unabhängig.</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="402" />
            <source>Show the next heatmap (W, Wq, E, E − AB)</source>
            <translation>Nächste Heatmap zeigen (W, Wq, E, E − AB)</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="414" />
            <source>σ(E) against white noise</source>
            <translation>σ(E) im Vergleich zu weißem Rauschen</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="415" />
            <source>The singular values of E (LQER) lie close to the Marchenko–Pastur curve: the spectrum of white noise of the same shape and energy. Noise has no dominant directions, so a few singular vectors capture little of it.</source>
            <translation>Die Singulärwerte von E (LQER) liegen nahe an der Marchenko-Pastur-Kurve: dem Spektrum von weißem Rauschen gleicher Form und Energie. Rauschen hat keine bevorzugten Richtungen, daher erfassen wenige Singulärvektoren wenig davon.</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="426" />
            <source>What percentage of ‖E‖² do the top 32 singular values of %1 hold?</source>
            <translation>Wie viel Prozent von ‖E‖² tragen die 32 größten Singulärwerte von %1?</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="430" />
            <source>The rank slider</source>
            <translation>Der Rang-Regler</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="431" />
            <source>Move the rank k. The heatmap shows the residual E − AB; the energy captured grows only slowly with k, because the error has no low-rank structure to find.</source>
            <translation>Verändern Sie den Rang k. Die Heatmap zeigt den Rest E − AB; die erfasste Energie wächst nur langsam mit k, weil der Fehler keine Struktur niedrigen Rangs hat.</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="447" />
            <source>3. What activations change (L²QER)</source>
            <translation>3. Was Aktivierungen ändern (L²QER)</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="449" />
            <source>Activation magnitudes</source>
            <translation>Beträge der Aktivierungen</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="450" />
            <source>Run a short calibration: the model reads a few samples and records, for every input channel of every layer, the mean |x|. Some channels can be far louder than the rest (red circles); an error in their weights matters more. The scale s that L²QER derives from them is on the right axis.</source>
            <translation>Führen Sie eine kurze Kalibrierung aus: das Modell liest einige Beispiele und zeichnet für jeden Eingangskanal jeder Schicht den mittleren Betrag |x| auf. Manche Kanäle können viel lauter sein als der Rest (rote Kreise); ein Fehler in ihren Gewichten wiegt schwerer. Die Skala s, die L²QER daraus ableitet, steht auf der rechten Achse.</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="456" />
            <source>Run the calibration</source>
            <translation>Die Kalibrierung ausführen</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="458" />
            <source>Which input channel of %1 has the largest mean |x| in the calibration (its index)?</source>
            <translation>Welcher Eingangskanal von %1 hat in der Kalibrierung den größten mittleren Betrag |x| (sein Index)?</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="462" />
            <source>S reweights the error</source>
            <translation>S gewichtet den Fehler neu</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="463" />
            <source>L²QER scales E by S = diag(s) from the activation magnitudes before the SVD, so the SVD spends its rank where the loud channels are. Compare the first singular values of σ(SE) and σ(αE) at equal energy, and the share of the energy rank k captures for each: the stronger the outlier channels, the larger the gap (large LLMs show much more of it than this small model).</source>
            <translation>L²QER skaliert E vor der SVD mit S = diag(s) aus den Aktivierungsbeträgen, sodass die SVD ihren Rang dort einsetzt, wo die lauten Kanäle sind. Vergleichen Sie die ersten Singulärwerte von σ(SE) und σ(αE) bei gleicher Energie und den Anteil der Energie, den Rang k jeweils erfasst: je stärker die Ausreißerkanäle, desto größer der Abstand (große LLMs zeigen davon viel mehr als dieses kleine Modell).</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="476" />
            <source>LQER, L²QER and QERA on one layer</source>
            <translation>LQER, L²QER und QERA an einer Schicht</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="477" />
            <source>The spectrum shows the three methods on the same layer at equal energy: LQER (no scaling), L²QER (mean |x|) and QERA (root mean square of x). The scaled methods concentrate the error that matters into the first singular values.</source>
            <translation>Das Spektrum zeigt die drei Methoden an derselben Schicht bei gleicher Energie: LQER (ohne Skalierung), L²QER (mittlerer Betrag |x|) und QERA (Effektivwert von x). Die skalierten Methoden bündeln den relevanten Fehler in den ersten Singulärwerten.</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="487" />
            <source>Which layer of block 3 has the largest relative weight error ‖E − AB‖/‖W‖ with L²QER at k = 16?</source>
            <translation>Welche Schicht von Block 3 hat mit L²QER bei k = 16 den größten relativen Gewichtsfehler ‖E − AB‖/‖W‖?</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="498" />
            <source>4. Cost</source>
            <translation>4. Kosten</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="500" />
            <source>Bits per weight</source>
            <translation>Bit pro Gewicht</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="501" />
            <source>Every weight costs its code plus its share of the block's exponent, and the low-rank factors A and B add k(m + n) values per layer. Apply the W2A8 k=256 plan to see the rank's share grow.</source>
            <translation>Jedes Gewicht kostet seinen Code plus seinen Anteil am Exponenten des Blocks, und die Faktoren A und B niedrigen Rangs fügen pro Schicht k(m + n) Werte hinzu. Wenden Sie den Plan W2A8 k=256 an, um den Anteil des Rangs wachsen zu sehen.</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="505" />
            <source>Apply W2A8 k=256</source>
            <translation>W2A8 k=256 anwenden</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="508" />
            <source>How many bits per weight (Σ bits / Σ weights) does the current plan cost?</source>
            <translation>Wie viele Bit pro Gewicht (Σ Bit / Σ Gewichte) kostet der aktuelle Plan?</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="512" />
            <source>Circuit area</source>
            <translation>Schaltungsfläche</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="513" />
            <source>A processing element for MXINT needs small integer multipliers and one exponent adder per block instead of FP16 units. The paper's Table III: FP16 1×, GPTQ/AWQ INT4 w-only 13.99×, L²QER-MXINT W4A8 0.33×, W4A6 0.23×. The cost view shows the area of your plan's design.</source>
            <translation>Ein Rechenelement für MXINT braucht kleine Ganzzahl-Multiplizierer und einen Exponenten-Addierer pro Block statt FP16-Einheiten. Tabelle III des Artikels: FP16 1×, GPTQ/AWQ INT4 nur Gewichte 13,99×, L²QER-MXINT W4A8 0,33×, W4A6 0,23×. Die Kostenansicht zeigt die Fläche des Entwurfs Ihres Plans.</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="518" />
            <source>Apply W4A6</source>
            <translation>W4A6 anwenden</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="521" />
            <source>What circuit area relative to FP16 does the current plan's design need?</source>
            <translation>Welche Schaltungsfläche relativ zu FP16 braucht der Entwurf des aktuellen Plans?</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="531" />
            <source>5. The whole model</source>
            <translation>5. Das ganze Modell</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="533" />
            <source>Perplexity against rank</source>
            <translation>Perplexität über dem Rang</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="534" />
            <source>The rank sweep quantizes the whole model at k = 0, 4, 8 … 128 and measures perplexity on held-out text. The first ranks help most; beyond some k the curve flattens while the cost keeps growing.</source>
            <translation>Der Rang-Durchlauf quantisiert das ganze Modell bei k = 0, 4, 8 … 128 und misst die Perplexität auf zurückgehaltenem Text. Die ersten Ränge helfen am meisten; ab einem gewissen k flacht die Kurve ab, während die Kosten weiter steigen.</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="538" />
            <source>Run the rank sweep (2 windows)</source>
            <translation>Den Rang-Durchlauf ausführen (2 Fenster)</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="545" />
            <source>A budget of bits</source>
            <translation>Ein Budget an Bits</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="546" />
            <source>Rank is a budget: the bits spent on A and B could go to wider codes instead. The layer error chart shows which layers profit most from k, so a plan can give them a larger rank and the others none.</source>
            <translation>Der Rang ist ein Budget: die Bits für A und B könnten stattdessen in breitere Codes fließen. Das Diagramm der Schichtfehler zeigt, welche Schichten am meisten von k profitieren, sodass ein Plan ihnen einen größeren Rang geben kann und den anderen keinen.</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="550" />
            <source>Quantize the whole model</source>
            <translation>Das ganze Modell quantisieren</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="553" />
            <source>How many bits per weight does rank 32 add to this model with the current formats?</source>
            <translation>Wie viele Bit pro Gewicht fügt Rang 32 diesem Modell mit den aktuellen Formaten hinzu?</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="396" />
            <source>E = W − Wq is what quantization loses. Its heatmap looks like noise: every block rounds on its own, so neighbouring errors are nearly independent.</source>
            <translation>E = W − Wq ist, was die Quantisierung verliert. Seine Heatmap sieht wie Rauschen aus: jeder Block rundet für sich, daher sind benachbarte Fehler fast unabhängig.</translation>
        </message>
        <message>
            <location filename="../app/studio/lessons.cpp" line="399" />
            <source>Show E − AB after rank 32</source>
            <translation>E − AB nach Rang 32 zeigen</translation>
        </message>
    </context>
    <context>
        <name>LoadStatisticsJob</name>
        <message>
            <location filename="../app/studio/jobkinds/loadstatistics.cpp" line="26" />
            <location filename="../app/studio/jobkinds/loadstatistics.cpp" line="32" />
            <source>Load calibration statistics</source>
            <translation>Kalibrierungsstatistik laden</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/loadstatistics.cpp" line="34" />
            <source>Statistics (*.safetensors);;All files (*)</source>
            <translation>Statistik (*.safetensors);;Alle Dateien (*)</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/loadstatistics.cpp" line="46" />
            <source>Cannot load statistics</source>
            <translation>Statistik kann nicht geladen werden</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/loadstatistics.cpp" line="47" />
            <source>Choose a statistics file written by "lqer calibrate" for this model.</source>
            <translation>Wählen Sie eine von „lqer calibrate“ für dieses Modell geschriebene Statistikdatei.</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/loadstatistics.cpp" line="55" />
            <source>Cannot use statistics</source>
            <translation>Statistik nicht verwendbar</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/loadstatistics.cpp" line="56" />
            <source>%1 has no statistics for any layer of this model.</source>
            <translation>%1 enthält für keine Schicht dieses Modells eine Statistik.</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/loadstatistics.cpp" line="57" />
            <source>Calibrate this model (Jobs &gt; Calibrate) or choose the statistics of the same model.</source>
            <translation>Kalibrieren Sie dieses Modell (Aufträge &gt; Kalibrieren) oder wählen Sie die Statistik desselben Modells.</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/loadstatistics.cpp" line="62" />
            <source>Loaded statistics for %1 of %2 layers from %3</source>
            <translation>Statistik für %1 von %2 Schichten aus %3 geladen</translation>
        </message>
    </context>
    <context>
        <name>MeasureSensitivityJob</name>
        <message>
            <location filename="../app/studio/jobkinds/measuresensitivity.cpp" line="66" />
            <source>Measure sensitivity</source>
            <translation>Empfindlichkeit messen</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/measuresensitivity.cpp" line="73" />
            <source>The Rank explorer has no curves.</source>
            <translation>Der Rang-Explorer hat keine Kurven.</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/measuresensitivity.cpp" line="74" />
            <source>Compute or load the curves first.</source>
            <translation>Berechnen oder laden Sie zuerst die Kurven.</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/measuresensitivity.cpp" line="78" />
            <source>The sensitivity needs the model&apos;s own weights.</source>
            <translation>Die Empfindlichkeit braucht die Gewichte des Modells selbst.</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/measuresensitivity.cpp" line="79" />
            <source>Open the Hugging Face checkpoint folder of the model.</source>
            <translation>Öffnen Sie den Hugging-Face-Checkpoint-Ordner des Modells.</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/measuresensitivity.cpp" line="84" />
            <source>Give windows=N;length=L;ranks=0|1;layers=….</source>
            <translation>Geben Sie windows=N;length=L;ranks=0|1;layers=… an.</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/measuresensitivity.cpp" line="90" />
            <source>No evaluation text is set.</source>
            <translation>Kein Auswertungstext gesetzt.</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/measuresensitivity.cpp" line="91" />
            <source>Run Jobs &gt; Evaluate perplexity once and choose the text file.</source>
            <translation>Führen Sie einmal Aufträge &gt; Perplexität auswerten aus und wählen Sie die Textdatei.</translation>
        </message>
    </context>
    <context>
        <name>PredictCurvesJob</name>
        <message>
            <location filename="../app/studio/jobkinds/predictcurves.cpp" line="82" />
            <source>Predict rank curves</source>
            <translation>Rangkurven vorhersagen</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/predictcurves.cpp" line="88" />
            <source>The curves need the model&apos;s own weights.</source>
            <translation>Die Kurven brauchen die Gewichte des Modells selbst.</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/predictcurves.cpp" line="89" />
            <source>Open the Hugging Face checkpoint folder of the model.</source>
            <translation>Öffnen Sie den Hugging-Face-Checkpoint-Ordner des Modells.</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/predictcurves.cpp" line="94" />
            <source>Give bits=…;ranks=… or formats=…;ranks=….</source>
            <translation>Geben Sie bits=…;ranks=… oder formats=…;ranks=… an.</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/predictcurves.cpp" line="108" />
            <source>The curves use LQER: %1 needs calibration statistics (Jobs &gt; Calibrate or File &gt; Load statistics).</source>
            <translation>Die Kurven verwenden LQER: %1 braucht Kalibrierungsstatistiken (Aufträge &gt; Kalibrieren oder Datei &gt; Statistiken laden).</translation>
        </message>
    </context>
    <context>
        <name>QObject</name>
        <message>
            <location filename="../app/studio/document.cpp" line="27" />
            <source>%1: the packed checkpoint has no quantized layers</source>
            <translation>%1: der gepackte Checkpoint enthält keine quantisierten Schichten</translation>
        </message>
        <message>
            <location filename="../app/studio/document.cpp" line="44" />
            <location filename="../app/studio/script.cpp" line="180" />
            <source>%1: %2</source>
            <translation>%1: %2</translation>
        </message>
        <message>
            <location filename="../app/studio/document.cpp" line="46" />
            <source>%1 has no quantizable linear layers (decoder-block linears of a supported architecture)</source>
            <translation>%1 hat keine quantisierbaren linearen Schichten (lineare Schichten in Decoder-Blöcken einer unterstützten Architektur)</translation>
        </message>
        <message>
            <location filename="../app/studio/evaljobs.cpp" line="50" />
            <source>Loading %1</source>
            <translation>%1 wird geladen</translation>
        </message>
        <message>
            <location filename="../app/studio/evaljobs.cpp" line="92" />
            <source>The evaluation text has %1 tokens, fewer than one window of %2</source>
            <translation>Der Auswertungstext hat %1 Tokens, weniger als ein Fenster von %2</translation>
        </message>
        <message>
            <location filename="../app/studio/evaljobs.cpp" line="113" />
            <source>Window %1 of %2, perplexity so far %3</source>
            <translation>Fenster %1 von %2, bisherige Perplexität %3</translation>
        </message>
        <message>
            <location filename="../app/studio/evaljobs.cpp" line="200" />
            <source>%1 is too short for one calibration sample of %2 tokens</source>
            <translation>%1 ist zu kurz für eine Kalibrierungsprobe von %2 Tokens</translation>
        </message>
        <message>
            <location filename="../app/studio/evaljobs.cpp" line="216" />
            <source>Calibration sample %1 of %2</source>
            <translation>Kalibrierungsprobe %1 von %2</translation>
        </message>
        <message>
            <location filename="../app/studio/evaljobs.cpp" line="228" />
            <source>Calibrated, but the statistics could not be saved for the session: %1</source>
            <translation>Kalibriert, aber die Statistiken konnten nicht für die Sitzung gespeichert werden: %1</translation>
        </message>
        <message numerus="yes">
            <location filename="../app/studio/jobs.cpp" line="30" />
            <source>%n layer(s) need calibration statistics and were analysed with LQER instead: run Jobs &gt; Calibrate or File &gt; Load statistics.</source>
            <translation>
                <numerusform>%n Schicht benötigt eine Kalibrierungsstatistik und wurde stattdessen mit LQER analysiert: führen Sie Aufträge &gt; Kalibrieren oder Datei &gt; Kalibrierungsstatistik laden aus.</numerusform>
                <numerusform>%n Schichten benötigen eine Kalibrierungsstatistik und wurden stattdessen mit LQER analysiert: führen Sie Aufträge &gt; Kalibrieren oder Datei &gt; Kalibrierungsstatistik laden aus.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../app/studio/jobs.cpp" line="137" />
            <source>No calibration statistics for this layer: showing LQER only.</source>
            <translation>Keine Kalibrierungsstatistik für diese Schicht: nur LQER wird angezeigt.</translation>
        </message>
        <message>
            <location filename="../app/studio/jobs.cpp" line="162" />
            <source>LQER: σ(αE)</source>
            <translation>LQER: σ(αE)</translation>
        </message>
        <message>
            <location filename="../app/studio/jobs.cpp" line="163" />
            <source>L²QER: σ(SE)</source>
            <translation>L²QER: σ(SE)</translation>
        </message>
        <message>
            <location filename="../app/studio/jobs.cpp" line="169" />
            <source>%1: σ(SE), same energy</source>
            <translation>%1: σ(SE), gleiche Energie</translation>
        </message>
        <message>
            <location filename="../app/studio/jobs.cpp" line="172" />
            <source>LQER: σ(E)</source>
            <translation>LQER: σ(E)</translation>
        </message>
        <message>
            <location filename="../app/studio/jobs.cpp" line="200" />
            <source>Decomposing %1</source>
            <translation>%1 wird zerlegt</translation>
        </message>
        <message>
            <location filename="../app/studio/jobs.cpp" line="204" />
            <source>Decomposed %1</source>
            <translation>%1 zerlegt</translation>
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="33" />
            <location filename="../app/studio/planeditor.cpp" line="44" />
            <source>none (fp)</source>
            <translation>keins (fp)</translation>
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="37" />
            <location filename="../app/studio/planeditor.cpp" line="42" />
            <source>INT sym</source>
            <translation>INT sym</translation>
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="39" />
            <location filename="../app/studio/planeditor.cpp" line="42" />
            <source>INT asym</source>
            <translation>INT asym</translation>
        </message>
        <message>
            <location filename="../app/studio/main.cpp" line="39" />
            <source>LQER Studio: post-training quantization with low-rank error reconstruction</source>
            <translation>LQER Studio: Quantisierung nach dem Training mit niedrigrangiger Fehlerrekonstruktion</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="33" />
            <source>Checkpoint folder to open</source>
            <translation>Zu öffnender Checkpoint-Ordner</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="36" />
            <source>Load calibration statistics from &lt;file&gt;.</source>
            <translation>Kalibrierungsstatistik aus &lt;file&gt; laden.</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="38" />
            <source>Run the calibration job.</source>
            <translation>Den Kalibrierungsauftrag ausführen.</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="39" />
            <source>Quantize the whole model with the plan.</source>
            <translation>Das ganze Modell mit dem Plan quantisieren.</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="40" />
            <source>Select &lt;layer&gt; and decompose it.</source>
            <translation>&lt;layer&gt; auswählen und zerlegen.</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="41" />
            <source>Evaluate perplexity.</source>
            <translation>Perplexität auswerten.</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="42" />
            <source>Evaluate at most &lt;n&gt; windows.</source>
            <translation>Höchstens &lt;n&gt; Fenster auswerten.</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="43" />
            <source>Run a rank sweep.</source>
            <translation>Einen Rang-Durchlauf ausführen.</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="44" />
            <source>Evaluate on the text &lt;file&gt;.</source>
            <translation>Auf dem Text &lt;file&gt; auswerten.</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="45" />
            <source>Show &lt;view&gt;: spectrum, heatmap, layers, sweep, cost, compare.</source>
            <translation>&lt;view&gt; anzeigen: spectrum, heatmap, layers, sweep, cost, compare.</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="47" />
            <source>Heatmap stage: before or after.</source>
            <translation>Heatmap-Stufe: before oder after.</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="48" />
            <source>Save a PNG of the window to &lt;file&gt; and quit.</source>
            <translation>Ein PNG des Fensters nach &lt;file&gt; speichern und beenden.</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="51" />
            <source>Export the current view's plot to &lt;file&gt; (.png/.svg/.pdf) and quit.</source>
            <translation>Das Diagramm der aktuellen Ansicht nach &lt;file&gt; (.png/.svg/.pdf) exportieren und beenden.</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="53" />
            <source>User interface language: en or de.</source>
            <translation>Sprache der Oberfläche: en oder de.</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="55" />
            <source>Window size WIDTHxHEIGHT.</source>
            <translation>Fenstergröße BREITExHÖHE.</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="56" />
            <source>Quit after the scripted steps.</source>
            <translation>Nach den geskripteten Schritten beenden.</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="58" />
            <source>Session database &lt;file&gt; (default: $LQER_SESSIONS_DB or the user data folder).</source>
            <translation>Sitzungsdatenbank &lt;file&gt; (Standard: $LQER_SESSIONS_DB oder der Benutzerdatenordner).</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="60" />
            <source>Reopen session &lt;id&gt; from the database.</source>
            <translation>Sitzung &lt;id&gt; aus der Datenbank wieder öffnen.</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="62" />
            <source>Use the plan preset &lt;name&gt;.</source>
            <translation>Die Plan-Vorlage &lt;name&gt; verwenden.</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="64" />
            <source>Compare runs &lt;a,b&gt; of the database (or "last": the last two runs with layers).</source>
            <translation>Läufe &lt;a,b&gt; der Datenbank vergleichen (oder „last“: die letzten zwei Läufe mit Schichten).</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="66" />
            <source>Show the sessions panel.</source>
            <translation>Die Sitzungsleiste anzeigen.</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="67" />
            <source>Export the packed quantized checkpoint to &lt;dir&gt;.</source>
            <translation>Den gepackten quantisierten Checkpoint nach &lt;dir&gt; exportieren.</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="69" />
            <source>Open lesson &lt;n&gt; (1-5) of the teaching mode.</source>
            <translation>Lektion &lt;n&gt; (1–5) des Lehrmodus öffnen.</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="71" />
            <source>Start the lesson at step &lt;s&gt;.</source>
            <translation>Die Lektion bei Schritt &lt;s&gt; beginnen.</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="73" />
            <source>Presentation mode (large fonts, high contrast, full screen).</source>
            <translation>Präsentationsmodus (große Schrift, hoher Kontrast, Vollbild).</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="84" />
            <source>--lesson %1: expected a lesson number from 1 to %2</source>
            <translation>--lesson %1: erwartet eine Lektionsnummer von 1 bis %2</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="93" />
            <source>--step %1: expected a step of lesson %2 (1 to %3)</source>
            <translation>--step %1: erwartet einen Schritt von Lektion %2 (1 bis %3)</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="114" />
            <source>--eval-text %1: no such file</source>
            <translation>--eval-text %1: keine solche Datei</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="129" />
            <source>--session %1: expected a session id (a positive number)</source>
            <translation>--session %1: erwartet wird eine Sitzungsnummer (eine positive Zahl)</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="146" />
            <source>--compare %1: expected two run ids "A,B" or "last"</source>
            <translation>--compare %1: erwartet werden zwei Laufnummern „A,B“ oder „last“</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="152" />
            <source>--preset %1: expected one of %2</source>
            <translation>--preset %1: erwartet wird eine von %2</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="159" />
            <source>--size %1: expected WIDTHxHEIGHT, e.g. 1600x1000</source>
            <translation>--size %1: erwartet BREITExHÖHE, z. B. 1600x1000</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="163" />
            <source>--view %1: expected one of %2</source>
            <translation>--view %1: erwartet eines von %2</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="166" />
            <source>--language %1: expected en or de</source>
            <translation>--language %1: erwartet en oder de</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="170" />
            <source>the scripted jobs need a checkpoint folder argument or --session</source>
            <translation>die Skript-Aufträge brauchen einen Checkpoint-Ordner als Argument oder --session</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="178" />
            <source>%1 did not finish</source>
            <translation>%1 wurde nicht beendet</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="199" />
            <source>Cannot write the screenshot %1: %2</source>
            <translation>Das Bildschirmfoto %1 kann nicht geschrieben werden: %2</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="221" />
            <source>--session %1: no session database is open (%2)</source>
            <translation>--session %1: keine Sitzungsdatenbank ist geöffnet (%2)</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="264" />
            <source>Calibration</source>
            <translation>Kalibrierung</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="265" />
            <source>Quantization</source>
            <translation>Quantisierung</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="266" />
            <source>Evaluation</source>
            <translation>Auswertung</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="267" />
            <source>Rank sweep</source>
            <translation>Rang-Durchlauf</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="284" />
            <source>--layer %1: no such linear layer in %2</source>
            <translation>--layer %1: keine solche lineare Schicht in %2</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="286" />
            <location filename="../app/studio/script.cpp" line="368" />
            <source>Layer detail</source>
            <translation>Schichtdetails</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="307" />
            <source>Export: %1</source>
            <translation>Export: %1</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="318" />
            <source>--compare last: no session with runs is open</source>
            <translation>--compare last: keine Sitzung mit Läufen ist geöffnet</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="324" />
            <source>--compare last: the session has fewer than two runs with layers</source>
            <translation>--compare last: die Sitzung hat weniger als zwei Läufe mit Schichten</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="190" />
            <source>Cannot write the screenshot %1</source>
            <translation>Das Bildschirmfoto %1 kann nicht geschrieben werden</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="381" />
            <source>Lesson %1</source>
            <translation>Lektion %1</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="409" />
            <source>No plot is visible to export</source>
            <translation>Kein sichtbares Diagramm zum Exportieren</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="28" />
            <source>%1 plain</source>
            <translation>%1 ohne Korrektur</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="29" />
            <source>%1 %2 k=%3</source>
            <translation>%1 %2 k=%3</translation>
        </message>
        <message numerus="yes">
            <location filename="../app/studio/sessions.cpp" line="31" />
            <source> (+%n override(s))</source>
            <translation>
                <numerusform> (+%n Abweichung)</numerusform>
                <numerusform> (+%n Abweichungen)</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="41" />
            <source>running</source>
            <translation>läuft</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="43" />
            <source>complete</source>
            <translation>abgeschlossen</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="45" />
            <source>cancelled</source>
            <translation>abgebrochen</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="47" />
            <source>interrupted</source>
            <translation>unterbrochen</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="49" />
            <source>failed</source>
            <translation>fehlgeschlagen</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="57" />
            <source>quantize</source>
            <translation>Quantisieren</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="59" />
            <source>analyze</source>
            <translation>Analysieren</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="61" />
            <source>evaluate</source>
            <translation>Auswerten</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="63" />
            <source>rank sweep</source>
            <translation>Rang-Durchlauf</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="115" />
            <source>No session database is open</source>
            <translation>Keine Sitzungsdatenbank ist geöffnet</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="220" />
            <source>run %1 · %2</source>
            <translation>Lauf %1 · %2</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="251" />
            <source>Mean absolute error eₐ</source>
            <translation>Mittlerer absoluter Fehler eₐ</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="252" />
            <source>Relative error ‖E−Ẽ‖_F / ‖W‖_F</source>
            <translation>Relativer Fehler ‖E−Ẽ‖_F / ‖W‖_F</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="253" />
            <source>Bits per weight</source>
            <translation>Bits pro Gewicht</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="305" />
            <source>Run %1: %2 layer(s) ran as %3 instead of %4 (no calibration statistics)</source>
            <translation>Lauf %1: %2 Schicht(en) liefen als %3 statt %4 (keine Kalibrierungsstatistiken)</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="312" />
            <source>Run %1 is %2: %3 of %4 layers</source>
            <translation>Lauf %1 ist %2: %3 von %4 Schichten</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="348" />
            <source>A session needs a name</source>
            <translation>Eine Sitzung braucht einen Namen</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="33" />
            <source>Checkpoint folder or GGUF model (.gguf) to open</source>
            <translation>Zu öffnender Checkpoint-Ordner oder GGUF-Modell (.gguf)</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="1" />
            <source>export</source>
            <translation>Export</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="1" />
            <source>%1 bits/weight</source>
            <translation>%1 Bit/Gewicht</translation>
        </message>
        <message>
            <location filename="../app/studio/document.cpp" line="24" />
            <source>%1: no safetensors file</source>
            <translation>%1: keine safetensors-Datei</translation>
        </message>
        <message>
            <location filename="../app/studio/document.cpp" line="31" />
            <source>%1: the packed plan: %2</source>
            <translation>%1: der gepackte Plan: %2</translation>
        </message>
        <message>
            <location filename="../app/studio/document.cpp" line="38" />
            <source>%1: the packed layer table is not a JSON object (%2)</source>
            <translation>%1: die gepackte Schichttabelle ist kein JSON-Objekt (%2)</translation>
        </message>
        <message>
            <location filename="../app/studio/document.cpp" line="61" />
            <source>%1: layer %2 has no shape in the packed layer table</source>
            <translation>%1: Schicht %2 hat keine Form in der gepackten Schichttabelle</translation>
        </message>
        <message>
            <location filename="../app/studio/document.cpp" line="1" />
            <source>%1: a LoRA adapter can only be given with a .gguf model</source>
            <translation>%1: ein LoRA-Adapter kann nur zu einem .gguf-Modell angegeben werden</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="1" />
            <source>--lora %1: an adapter needs a .gguf model to open</source>
            <translation>--lora %1: ein Adapter braucht ein zu öffnendes .gguf-Modell</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="1" />
            <source>The GGUF LoRA adapter &lt;file&gt; of a .gguf model (for evaluation).</source>
            <translation>Der GGUF-LoRA-Adapter &lt;file&gt; eines .gguf-Modells (für die Auswertung).</translation>
        </message>
        <message>
            <location filename="../app/studio/jobs.cpp" line="1" />
            <source>%1 is already on the %2 grid: quantizing it again leaves no error. Choose another weight format in the plan to analyse it.</source>
            <translation>%1 liegt bereits auf dem %2-Raster: erneutes Quantisieren hinterlässt keinen Fehler. Wählen Sie im Plan ein anderes Gewichtsformat, um die Schicht zu analysieren.</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="49" />
            <source>Predict the Rank explorer&apos;s per-layer curves (after the calibration).</source>
            <translation>Die Kurven je Schicht des Rang-Explorers vorhersagen (nach der Kalibrierung).</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="275" />
            <source>Rank curves</source>
            <translation>Rangkurven</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="349" />
            <source>%1: σ of the perplexity</source>
            <translation>%1: σ der Perplexität</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="351" />
            <source>%1: KL from FP32, mean</source>
            <translation>%1: KL zu FP32, Mittel</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="352" />
            <source>%1: KL from FP32, p99</source>
            <translation>%1: KL zu FP32, p99</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="353" />
            <source>%1: top-1 agreement (%)</source>
            <translation>%1: Top-1-Übereinstimmung (%)</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="354" />
            <source>%1: Δppl from FP32</source>
            <translation>%1: Δppl zu FP32</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="70" />
            <source>allocate</source>
            <translation>zuteilen</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="72" />
            <source>rank curves</source>
            <translation>Rangkurven</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="74" />
            <source>sensitivity</source>
            <translation>Empfindlichkeit</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="97" />
            <source>%1 · %2 bits/weight · %3 loss %4</source>
            <translation>%1 · %2 Bit/Gewicht · %3 Verlust %4</translation>
        </message>
        <message>
            <location filename="../app/studio/sessions.cpp" line="106" />
            <source>%1 layers × %2 formats × %3 ranks</source>
            <translation>%1 Schichten × %2 Formate × %3 Ränge</translation>
        </message>
        <message numerus="yes">
            <location filename="../app/studio/sessions.cpp" line="112" />
            <source>%n layer(s) measured per rank</source>
            <translation>
                <numerusform>%n Schicht je Rang gemessen</numerusform>
                <numerusform>%n Schichten je Rang gemessen</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/measuresensitivity.cpp" line="116" />
            <source>Measuring the sensitivity of each layer</source>
            <translation>Empfindlichkeit jeder Schicht wird gemessen</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="58" />
            <source>Take the screenshot while a job passes &lt;percent&gt; % (the status bar shows its progress, ETA and memory) instead of at the end.</source>
            <translation>Das Bildschirmfoto aufnehmen, während ein Auftrag &lt;percent&gt; % überschreitet (die Statusleiste zeigt Fortschritt, Restzeit und Speicher), statt am Ende.</translation>
        </message>
        <message>
            <location filename="../app/studio/script.cpp" line="136" />
            <source>--screenshot-at %1: expected a percentage from 1 to 99, with --screenshot</source>
            <translation>--screenshot-at %1: erwartet wird ein Prozentwert von 1 bis 99, zusammen mit --screenshot</translation>
        </message>
        <message>
            <location filename="../app/studio/jobs.cpp" line="349" />
            <source>Decomposing %1: first spectrum shown</source>
            <translation>%1 wird zerlegt: erstes Spektrum angezeigt</translation>
        </message>
    </context>
    <context>
        <name>QuantizeModelJob</name>
        <message>
            <location filename="../app/studio/jobkinds/quantizemodel.cpp" line="17" />
            <source>Quantize model</source>
            <translation>Modell quantisieren</translation>
        </message>
    </context>
    <context>
        <name>RankExplorerView</name>
        <message>
            <location filename="../app/studio/views/rankexplorerview.h" line="31" />
            <source>Rank explorer</source>
            <translation>Rang-Explorer</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="50" />
            <source>Allocated (%1 bits/weight)</source>
            <translation>Zugeteilt (%1 Bit/Gewicht)</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="57" />
            <source>Best uniform: %1, k = %2 (%3 bits/weight)</source>
            <translation>Bester einheitlicher Plan: %1, k = %2 (%3 Bit/Gewicht)</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="88" />
            <source>%1
%2, %3 bits/weight</source>
            <translation>%1
%2, %3 Bit/Gewicht</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="97" />
            <source>Load the per-layer curves of this model (lqer allocate MODEL --calib FILE --save-curves curves.json)
to allocate weight format and rank per layer under a bit budget.</source>
            <translation>Laden Sie die Kurven je Schicht dieses Modells (lqer allocate MODELL --calib DATEI --save-curves curves.json),
um Gewichtsformat und Rang je Schicht unter einem Bit-Budget zuzuteilen.</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="100" />
            <source>Layer (model order)</source>
            <translation>Schicht (Modellreihenfolge)</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="101" />
            <source>Bits per weight</source>
            <translation>Bit pro Gewicht</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="144" />
            <source>Load curves…</source>
            <translation>Kurven laden…</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="145" />
            <source>Apply to plan</source>
            <translation>Auf den Plan anwenden</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="164" />
            <source>Load per-layer curves</source>
            <translation>Kurven je Schicht laden</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="165" />
            <source>Curves (*.json)</source>
            <translation>Kurven (*.json)</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="170" />
            <source>Load curves</source>
            <translation>Kurven laden</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="171" />
            <source>Save them for this model with lqer allocate MODEL --calib FILE --save-curves FILE.</source>
            <translation>Speichern Sie sie für dieses Modell mit lqer allocate MODELL --calib DATEI --save-curves DATEI.</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="186" />
            <source>%1: layer %2 is not a layer of the open model</source>
            <translation>%1: %2 ist keine Schicht des geöffneten Modells</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="241" />
            <source>Budget</source>
            <translation>Budget</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="242" />
            <source>No curves loaded.</source>
            <translation>Keine Kurven geladen.</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="245" />
            <source>Budget %1 bits/weight</source>
            <translation>Budget %1 Bit/Gewicht</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="247" />
            <source>No plan fits this budget.</source>
            <translation>Kein Plan passt in dieses Budget.</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="251" />
            <source>Allocated: %1 bits/weight, predicted loss %2 (%3); re-allocated in %4 ms.</source>
            <translation>Zugeteilt: %1 Bit/Gewicht, vorhergesagter Verlust %2 (%3); neu zugeteilt in %4 ms.</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="254" />
            <source>KL, scaled by each layer's measured sensitivity</source>
            <translation>KL, skaliert mit der gemessenen Empfindlichkeit jeder Schicht</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="255" />
            <source>scaled residual energy</source>
            <translation>skalierte Restenergie</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="259" />
            <source>Best uniform plan: %1, k = %2, %3 bits/weight, predicted loss %4.</source>
            <translation>Bester einheitlicher Plan: %1, k = %2, %3 Bit/Gewicht, vorhergesagter Verlust %4.</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="273" />
            <source>Apply allocation (%1 bits/weight)</source>
            <translation>Zuteilung anwenden (%1 Bit/Gewicht)</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="106" />
            <source>Measured KL, %1 (right axis)</source>
            <translation>Gemessene KL, %1 (rechte Achse)</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="140" />
            <source>%1, k = %2: predicted %3 of ‖W S‖²</source>
            <translation>%1, k = %2: vorhergesagt %3 von ‖W S‖²</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="151" />
            <source>k = %1: measured KL %2 ± %3</source>
            <translation>k = %1: gemessene KL %2 ± %3</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="162" />
            <source>Compute or load the curves, then pick a layer.</source>
            <translation>Berechnen oder laden Sie die Kurven und wählen Sie dann eine Schicht.</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="163" />
            <source>Rank k</source>
            <translation>Rang k</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="164" />
            <source>Rank k of %1</source>
            <translation>Rang k von %1</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="165" />
            <source>Predicted loss / ‖W S‖²</source>
            <translation>Vorhergesagter Verlust / ‖W S‖²</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="166" />
            <source>Measured KL from FP32 (nats)</source>
            <translation>Gemessene KL zu FP32 (nats)</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="192" />
            <source>Predicted: residual energy / ‖W S‖² (left axis)</source>
            <translation>Vorhergesagt: Restenergie / ‖W S‖² (linke Achse)</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="203" />
            <source>Measured: KL from FP32, layer alone (right axis)</source>
            <translation>Gemessen: KL zu FP32, Schicht allein (rechte Achse)</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="226" />
            <source>%1
predicted %2 of ‖W S‖²</source>
            <translation>%1
vorhergesagt %2 von ‖W S‖²</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="231" />
            <source>measured KL %1 ± %2</source>
            <translation>gemessene KL %1 ± %2</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="240" />
            <source>Compute or load the curves; Measure sensitivity adds the measured KL.</source>
            <translation>Berechnen oder laden Sie die Kurven; „Empfindlichkeit messen“ ergänzt die gemessene KL.</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="242" />
            <source>Predicted (relative)</source>
            <translation>Vorhergesagt (relativ)</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="243" />
            <source>Measured KL (nats)</source>
            <translation>Gemessene KL (nats)</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="261" />
            <source>Uniform plans</source>
            <translation>Einheitliche Pläne</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="263" />
            <source>Uniform frontier</source>
            <translation>Front der einheitlichen Pläne</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="265" />
            <source>Allocated (budget sweep)</source>
            <translation>Zugeteilt (Budget-Durchlauf)</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="268" />
            <source>Slider&apos;s allocation</source>
            <translation>Zuteilung des Schiebereglers</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="279" />
            <source>Evaluated plans: perplexity ± σ (right axis)</source>
            <translation>Ausgewertete Pläne: Perplexität ± σ (rechte Achse)</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="315" />
            <source>%1
%2 bits/weight, perplexity %3 ± %4</source>
            <translation>%1
%2 Bit/Gewicht, Perplexität %3 ± %4</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="320" />
            <source>%1
%2 bits/weight, predicted loss %3</source>
            <translation>%1
%2 Bit/Gewicht, vorhergesagter Verlust %3</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="328" />
            <source>Compute or load the curves to compare uniform and allocated plans.</source>
            <translation>Berechnen oder laden Sie die Kurven, um einheitliche und zugeteilte Pläne zu vergleichen.</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="329" />
            <source>Average bits per weight</source>
            <translation>Mittlere Bits pro Gewicht</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="330" />
            <source>Predicted loss (sum over layers)</source>
            <translation>Vorhergesagter Verlust (Summe über die Schichten)</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerplots.cpp" line="331" />
            <source>Perplexity</source>
            <translation>Perplexität</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="217" />
            <source>Compute curves</source>
            <translation>Kurven berechnen</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="218" />
            <source>Predict every layer&apos;s loss for each weight format and rank from one decomposition per layer and format (a job; uses the loaded statistics).</source>
            <translation>Sagt den Verlust jeder Schicht für jedes Gewichtsformat und jeden Rang aus einer Zerlegung je Schicht und Format vorher (ein Auftrag; verwendet die geladenen Statistiken).</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="220" />
            <source>Measure sensitivity</source>
            <translation>Empfindlichkeit messen</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="221" />
            <source>Measure the KL divergence from FP32 of each layer quantized alone, and of each of its ranks, on the evaluation text (a job).</source>
            <translation>Misst die KL-Divergenz zu FP32 jeder allein quantisierten Schicht und jedes ihrer Ränge auf dem Auswertungstext (ein Auftrag).</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="223" />
            <source>Windows</source>
            <translation>Fenster</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="225" />
            <source>Layer</source>
            <translation>Schicht</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="226" />
            <source>Allocation</source>
            <translation>Zuteilung</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="227" />
            <source>Loss vs rank</source>
            <translation>Verlust über Rang</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="228" />
            <source>Sensitivity</source>
            <translation>Empfindlichkeit</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="229" />
            <source>Pareto</source>
            <translation>Pareto</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="451" />
            <source>Measure the sensitivity to compare the prediction with the KL divergence of each layer alone (Spearman correlation of the two rankings).</source>
            <translation>Messen Sie die Empfindlichkeit, um die Vorhersage mit der KL-Divergenz jeder Schicht allein zu vergleichen (Spearman-Korrelation der beiden Rangfolgen).</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="453" />
            <source>Spearman correlation of the predicted sensitivity (relative residual energy) with the measured KL over %1 layers: %2</source>
            <translation>Spearman-Korrelation der vorhergesagten Empfindlichkeit (relative Restenergie) mit der gemessenen KL über %1 Schichten: %2</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="515" />
            <source>Uniform %1, k = %2</source>
            <translation>Einheitlich %1, k = %2</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="523" />
            <source>Allocated</source>
            <translation>Zugeteilt</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="527" />
            <source>Allocated at %1 bits/weight</source>
            <translation>Zugeteilt bei %1 Bit/Gewicht</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="543" />
            <source>KL %1, top-1 %2 %, Δppl %3 ± %4</source>
            <translation>KL %1, Top-1 %2 %, Δppl %3 ± %4</translation>
        </message>
        <message>
            <location filename="../app/studio/views/rankexplorerview.cpp" line="222" />
            <source>Candidates of Compute curves: weight widths (bits=2,3,4,6,8: every format of those widths) or formats by name (formats=mxint4_e8_b16,…), and ranks (ranks=0,8,16,32,64,128).</source>
            <translation>Kandidaten von „Kurven berechnen“: Gewichtsbreiten (bits=2,3,4,6,8: jedes Format dieser Breiten) oder Formate nach Namen (formats=mxint4_e8_b16,…) und Ränge (ranks=0,8,16,32,64,128).</translation>
        </message>
    </context>
    <context>
        <name>RankSweepJobKind</name>
        <message>
            <location filename="../app/studio/jobkinds/ranksweep.cpp" line="21" />
            <source>Rank sweep</source>
            <translation>Rang-Durchlauf</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/ranksweep.cpp" line="28" />
            <source>No evaluation text is set.</source>
            <translation>Es ist kein Auswertungstext festgelegt.</translation>
        </message>
        <message>
            <location filename="../app/studio/jobkinds/ranksweep.cpp" line="29" />
            <source>Run Jobs &gt; Evaluate perplexity once and choose the text file.</source>
            <translation>Führen Sie einmal Aufträge &gt; Perplexität auswerten aus und wählen Sie die Textdatei.</translation>
        </message>
    </context>
    <context>
        <name>RankSweepView</name>
        <message>
            <location filename="../app/studio/views/ranksweepview.h" line="23" />
            <source>Perplexity vs rank</source>
            <translation>Perplexität über Rang</translation>
        </message>
    </context>
    <context>
        <name>SpectrumView</name>
        <message>
            <location filename="../app/studio/views/spectrumview.cpp" line="61" />
            <source>LQER: σ(αE)</source>
            <translation>LQER: σ(αE)</translation>
        </message>
        <message>
            <location filename="../app/studio/views/spectrumview.cpp" line="62" />
            <source>%1: σ(SE)</source>
            <translation>%1: σ(SE)</translation>
        </message>
        <message>
            <location filename="../app/studio/views/spectrumview.cpp" line="65" />
            <source>%1: σ(E)</source>
            <translation>%1: σ(E)</translation>
        </message>
        <message>
            <location filename="../app/studio/views/spectrumview.cpp" line="77" />
            <location filename="../app/studio/views/spectrumview.cpp" line="86" />
            <source>Marchenko–Pastur (i.i.d., same energy)</source>
            <translation>Marchenko–Pastur (u.i.v., gleiche Energie)</translation>
        </message>
        <message>
            <location filename="../app/studio/views/spectrumview.h" line="21" />
            <source>Error spectrum</source>
            <translation>Fehlerspektrum</translation>
        </message>
        <message>
            <location filename="../app/studio/views/spectrumview.cpp" line="87" />
            <source>Top %1 singular values so far (a quick sketch); refining…</source>
            <translation>Die größten %1 Singulärwerte bisher (eine schnelle Skizze); wird verfeinert…</translation>
        </message>
        <message>
            <location filename="../app/studio/views/spectrumview.cpp" line="89" />
            <source>Top %1 of %2 singular values</source>
            <translation>Die größten %1 von %2 Singulärwerten</translation>
        </message>
    </context>
    <context>
        <name>StudioActions</name>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="112" />
            <source>Show %1</source>
            <translation>%1 anzeigen</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="113" />
            <source>&amp;File</source>
            <translation>&amp;Datei</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="114" />
            <source>Open &amp;recent</source>
            <translation>&amp;Zuletzt geöffnet</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="115" />
            <source>&amp;Edit</source>
            <translation>&amp;Bearbeiten</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="116" />
            <source>&amp;View</source>
            <translation>&amp;Ansicht</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="117" />
            <source>&amp;Jobs</source>
            <translation>&amp;Aufträge</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="118" />
            <source>&amp;Language</source>
            <translation>&amp;Sprache</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="119" />
            <source>&amp;Help</source>
            <translation>&amp;Hilfe</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="120" />
            <source>Main toolbar</source>
            <translation>Hauptwerkzeugleiste</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="121" />
            <source>&amp;Open checkpoint…</source>
            <translation>Checkpoint ö&amp;ffnen…</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="123" />
            <source>Open a Hugging Face checkpoint folder (Ctrl+O); you can also drop a folder on the window</source>
            <translation>Einen Hugging-Face-Checkpoint-Ordner öffnen (Strg+O); Sie können einen Ordner auch auf das Fenster ziehen</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="124" />
            <source>Load calibration &amp;statistics…</source>
            <translation>Kalibrierungs&amp;statistik laden…</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="125" />
            <source>&amp;Export view…</source>
            <translation>Ansicht &amp;exportieren…</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="126" />
            <source>Export &amp;quantized checkpoint…</source>
            <translation>&amp;Quantisierten Checkpoint exportieren …</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="128" />
            <source>Write the quantized model: packed LQER checkpoint or dequantized Hugging Face folder</source>
            <translation>Das quantisierte Modell schreiben: gepackter LQER-Checkpoint oder dequantisierter Hugging-Face-Ordner</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="129" />
            <source>&amp;Quit</source>
            <translation>&amp;Beenden</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="130" />
            <source>&amp;Undo</source>
            <translation>&amp;Rückgängig</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="131" />
            <source>&amp;Redo</source>
            <translation>&amp;Wiederherstellen</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="132" />
            <source>&amp;Analyze selected</source>
            <translation>Auswahl &amp;analysieren</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="133" />
            <source>Quantize and decompose the selected layers (F5)</source>
            <translation>Die ausgewählten Schichten quantisieren und zerlegen (F5)</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="134" />
            <source>&amp;Quantize model</source>
            <translation>Modell &amp;quantisieren</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="135" />
            <source>Run the plan on every layer of the model (Ctrl+F5)</source>
            <translation>Den Plan auf jede Schicht des Modells anwenden (Strg+F5)</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="136" />
            <source>&amp;Calibrate</source>
            <translation>&amp;Kalibrieren</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="137" />
            <source>Collect activation statistics for L²QER / QERA</source>
            <translation>Aktivierungsstatistik für L²QER / QERA sammeln</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="138" />
            <source>&amp;Evaluate perplexity</source>
            <translation>Perplexität &amp;auswerten</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="139" />
            <source>Rank &amp;sweep</source>
            <translation>&amp;Rang-Durchlauf</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="140" />
            <source>Cancel</source>
            <translation>Abbrechen</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="141" />
            <source>Stop the running job (Esc)</source>
            <translation>Den laufenden Auftrag anhalten (Esc)</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="142" />
            <source>&amp;Marchenko–Pastur overlay</source>
            <translation>&amp;Marchenko–Pastur-Überlagerung</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="143" />
            <source>&amp;About LQER Studio</source>
            <translation>&amp;Über LQER Studio</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="1" />
            <source>Open model &amp;file…</source>
            <translation>Modell&amp;datei öffnen…</translation>
        </message>
        <message>
            <location filename="../app/studio/studioactions.cpp" line="1" />
            <source>Open a GGUF LLaMA model (select its lqer-lora.gguf adapter too to evaluate with it; layers with their ggml formats, analysed on the dequantized weights) or a llama2.c model file (.bin, with tok512.bin or tokenizer.bin beside it)</source>
            <translation>Ein GGUF-LLaMA-Modell öffnen (wählen Sie seinen Adapter lqer-lora.gguf mit aus, um mit ihm auszuwerten; Schichten mit ihren ggml-Formaten, analysiert an den dequantisierten Gewichten) oder eine llama2.c-Modelldatei (.bin, mit tok512.bin oder tokenizer.bin daneben)</translation>
        </message>
    </context>
    <context>
        <name>lqer::ChannelPlot</name>
        <message>
            <location filename="../widgets/channelplot.cpp" line="20" />
            <source>Calibrate (Jobs &gt; Calibrate) and select a layer to see the mean |x| of each of its input channels,
with the loudest channels marked and the L²QER scale s.</source>
            <translation>Kalibrieren Sie (Aufträge &gt; Kalibrieren) und wählen Sie eine Schicht, um den mittleren Betrag |x| jedes ihrer Eingangskanäle zu sehen,
mit den lautesten Kanälen markiert und der L²QER-Skala s.</translation>
        </message>
        <message>
            <location filename="../widgets/channelplot.cpp" line="22" />
            <source>Input channel i</source>
            <translation>Eingangskanal i</translation>
        </message>
        <message>
            <location filename="../widgets/channelplot.cpp" line="23" />
            <source>Mean |xᵢ| over calibration tokens</source>
            <translation>Mittleres |xᵢ| über die Kalibrierungstokens</translation>
        </message>
        <message>
            <location filename="../widgets/channelplot.cpp" line="24" />
            <source>L²QER scale sᵢ</source>
            <translation>L²QER-Skala sᵢ</translation>
        </message>
        <message>
            <location filename="../widgets/channelplot.cpp" line="59" />
            <source>mean |x| per channel</source>
            <translation>mittleres |x| je Kanal</translation>
        </message>
        <message numerus="yes">
            <location filename="../widgets/channelplot.cpp" line="64" />
            <source>%n loudest channel(s)</source>
            <translation>
                <numerusform>%n lautester Kanal</numerusform>
                <numerusform>%n lauteste Kanäle</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../widgets/channelplot.cpp" line="96" />
            <source>%1
channel %2: mean |x| = %3</source>
            <translation>%1
Kanal %2: mittleres |x| = %3</translation>
        </message>
        <message>
            <location filename="../widgets/channelplot.cpp" line="98" />
            <source>, s = %1</source>
            <translation>, s = %1</translation>
        </message>
    </context>
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
            <source>Select a layer to see where its quantization error sits, before and after the low-rank correction.</source>
            <translation>Wählen Sie eine Schicht, um zu sehen, wo ihr Quantisierungsfehler liegt, vor und nach der Niedrigrang-Korrektur.</translation>
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="41" />
            <source>Input channel (column of W)</source>
            <translation>Eingangskanal (Spalte von W)</translation>
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="42" />
            <source>Output channel (row of W)</source>
            <translation>Ausgangskanal (Zeile von W)</translation>
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="46" />
            <source>|W|</source>
            <translation>|W|</translation>
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="47" />
            <source>Weights |W|</source>
            <translation>Gewichte |W|</translation>
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="50" />
            <source>|Wq|</source>
            <translation>|Wq|</translation>
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="51" />
            <source>Quantized weights |Wq|</source>
            <translation>Quantisierte Gewichte |Wq|</translation>
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="54" />
            <source>|E| (Wq only)</source>
            <translation>|E| (nur Wq)</translation>
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="58" />
            <source>|E − Ẽ| (Wq + AB)</source>
            <translation>|E − Ẽ| (Wq + AB)</translation>
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="55" />
            <source>Quantization error |E|, Wq only</source>
            <translation>Quantisierungsfehler |E|, nur Wq</translation>
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="59" />
            <source>Reconstruction error |E − Ẽ|, Wq + AB</source>
            <translation>Rekonstruktionsfehler |E − Ẽ|, Wq + AB</translation>
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="171" />
            <source>row %1, column %2
|value| = %3</source>
            <translation>Zeile %1, Spalte %2
|Wert| = %3</translation>
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="173" />
            <source>rows %1–%2, columns %3–%4
mean |value| = %5
max |value| = %6</source>
            <translation>Zeilen %1–%2, Spalten %3–%4
mittlerer |Wert| = %5
maximaler |Wert| = %6</translation>
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="125" />
            <source>row %1, column %2
|error| = %3</source>
            <translation>Zeile %1, Spalte %2
|Fehler| = %3</translation>
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="127" />
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
            <location filename="../widgets/errorheatmap.cpp" line="224" />
            <source>&amp;Show:</source>
            <translation>&amp;Anzeigen:</translation>
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="227" />
            <source>Before: Wq only (|E|)</source>
            <translation>Vorher: nur Wq (|E|)</translation>
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="228" />
            <source>After: Wq + AB (|E − Ẽ|)</source>
            <translation>Nachher: Wq + AB (|E − Ẽ|)</translation>
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="225" />
            <source>Weights |W|</source>
            <translation>Gewichte |W|</translation>
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="226" />
            <source>Quantized |Wq|</source>
            <translation>Quantisiert |Wq|</translation>
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="229" />
            <source>&amp;Cells:</source>
            <translation>&amp;Zellen:</translation>
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="230" />
            <source>Mean of block</source>
            <translation>Mittelwert des Blocks</translation>
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="231" />
            <source>Max of block</source>
            <translation>Maximum des Blocks</translation>
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="243" />
            <source>Select a layer and run an analysis</source>
            <translation>Wählen Sie eine Schicht und starten Sie eine Analyse</translation>
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="245" />
            <source>%1 × %2 matrix shown as %3 × %4 blocks of %5 × %6</source>
            <translation>%1 × %2-Matrix, dargestellt als %3 × %4 Blöcke zu %5 × %6</translation>
        </message>
        <message>
            <location filename="../widgets/errorheatmap.cpp" line="253" />
            <source>%1 × %2 matrix, full resolution</source>
            <translation>%1 × %2-Matrix, volle Auflösung</translation>
        </message>
    </context>
    <context>
        <name>lqer::ExportDialog</name>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="112" />
            <source>Output folder not empty</source>
            <translation>Ausgabeordner nicht leer</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="132" />
            <source>%1 (ETA %2)</source>
            <translation>%1 (Restzeit %2)</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="199" />
            <source>Cancelling… (the partial folder is removed)</source>
            <translation>Wird abgebrochen … (der unvollständige Ordner wird entfernt)</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="236" />
            <source>An export is already running</source>
            <translation>Ein Export läuft bereits</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="238" />
            <source>No checkpoint to export: open one first</source>
            <translation>Kein Checkpoint zum Exportieren: zuerst einen öffnen</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="241" />
            <source>Choose an output folder</source>
            <translation>Einen Ausgabeordner wählen</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="245" />
            <source>%1 is a file, not a folder</source>
            <translation>%1 ist eine Datei, kein Ordner</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="247" />
            <source>The folder %1 is not empty. Export into it anyway? Only the files of an earlier export there are replaced; other files are kept.</source>
            <translation>Der Ordner %1 ist nicht leer. Trotzdem dorthin exportieren? Nur die Dateien eines früheren Exports dort werden ersetzt; andere Dateien bleiben erhalten.</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="252" />
            <source>Export refused: %1 is not empty</source>
            <translation>Export abgelehnt: %1 ist nicht leer</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="311" />
            <source>Exporting to %1…</source>
            <translation>Export nach %1 …</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="312" />
            <source>Export</source>
            <translation>Export</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="336" />
            <source>Done.</source>
            <translation>Fertig.</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="339" />
            <source>Cancelled: nothing was written to %1.</source>
            <translation>Abgebrochen: nach %1 wurde nichts geschrieben.</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="341" />
            <source>Export failed: %1</source>
            <translation>Export fehlgeschlagen: %1</translation>
        </message>
        <message numerus="yes">
            <location filename="../app/studio/exportdialog.cpp" line="353" />
            <source>Wrote %n file(s), %1, to %2 in %3.</source>
            <translation>
                <numerusform>%n Datei, %1, nach %2 in %3 geschrieben.</numerusform>
                <numerusform>%n Dateien, %1, nach %2 in %3 geschrieben.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../app/studio/exportdialog.cpp" line="356" />
            <source>%n quantized layer(s).</source>
            <translation>
                <numerusform>%n quantisierte Schicht.</numerusform>
                <numerusform>%n quantisierte Schichten.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="359" />
            <source>%1 bits per weight in the packed arrays (%2 from the formats).</source>
            <translation>%1 Bits pro Gewicht in den gepackten Arrays (%2 laut Formaten).</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="364" />
            <source>Dequantized: the plan's formats make %1 bits per weight.</source>
            <translation>Dequantisiert: die Formate des Plans ergeben %1 Bits pro Gewicht.</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="384" />
            <source>PEFT base GPTQ-packed (4-bit, group %1): the plan's INT4 weights exactly, %2 bits per weight from the formats.</source>
            <translation>PEFT-Basis GPTQ-gepackt (4 Bit, Gruppe %1): genau die INT4-Gewichte des Plans, %2 Bits pro Gewicht laut den Formaten.</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="395" />
            <source>PEFT base: %1.</source>
            <translation>PEFT-Basis: %1.</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="371" />
            <source>Output folder</source>
            <translation>Ausgabeordner</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="416" />
            <source>Export quantized checkpoint</source>
            <translation>Quantisierten Checkpoint exportieren</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="418" />
            <source>Model: %1 — plan: %2%3</source>
            <translation>Modell: %1 — Plan: %2%3</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="419" />
            <source>custom</source>
            <translation>benutzerdefiniert</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="420" />
            <source> (no statistics: L²QER layers use LQER)</source>
            <translation> (keine Statistiken: L²QER-Schichten verwenden LQER)</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="421" />
            <source>Open a checkpoint first.</source>
            <translation>Zuerst einen Checkpoint öffnen.</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="422" />
            <source>Format:</source>
            <translation>Format:</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="423" />
            <source>&amp;Packed LQER checkpoint (codes, exponents, A and B as stored in hardware)</source>
            <translation>&amp;Gepackter LQER-Checkpoint (Codes, Exponenten, A und B wie in der Hardware gespeichert)</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="424" />
            <source>&amp;Dequantized Hugging Face folder (for standard tools)</source>
            <translation>&amp;Dequantisierter Hugging-Face-Ordner (für Standardwerkzeuge)</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="425" />
            <source>&amp;GGUF for llama.cpp (q4_0 / q8_0 / f16 base + LoRA adapter with A and B)</source>
            <translation>GG&amp;UF für llama.cpp (q4_0-/q8_0-/f16-Basis + LoRA-Adapter mit A und B)</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="426" />
            <source>PEF&amp;T: dequantized base + LoRA adapter (transformers, vLLM)</source>
            <translation>&amp;PEFT: dequantisierte Basis + LoRA-Adapter (transformers, vLLM)</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="427" />
            <source>&amp;Merge A·B into the weight</source>
            <translation>A·B in das Gewicht &amp;einrechnen</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="428" />
            <source>Store Wq + (A·B)ᵀ instead of Wq alone</source>
            <translation>Wq + (A·B)ᵀ statt Wq allein speichern</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="429" />
            <source>&amp;Float type:</source>
            <translation>Gleitkomma&amp;typ:</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="430" />
            <source>&amp;Output folder:</source>
            <translation>&amp;Ausgabeordner:</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="431" />
            <source>&amp;Browse…</source>
            <translation>Du&amp;rchsuchen …</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="432" />
            <source>&amp;Export</source>
            <translation>&amp;Exportieren</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="433" />
            <source>Cancel</source>
            <translation>Abbrechen</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="434" />
            <source>&amp;Open exported model</source>
            <translation>Exportiertes Modell ö&amp;ffnen</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="435" />
            <source>Close</source>
            <translation>Schließen</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="1" />
            <source>Size: cannot predict (%1)</source>
            <translation>Größe: nicht vorhersagbar (%1)</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="1" />
            <source>model %1</source>
            <translation>Modell %1</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="1" />
            <source>adapter %1</source>
            <translation>Adapter %1</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="1" />
            <source>other files %1</source>
            <translation>weitere Dateien %1</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="1" />
            <source>Size: %1 (%2); %3 bits per weight</source>
            <translation>Größe: %1 (%2); %3 Bit pro Gewicht</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="1" />
            <source>Size: about %1 (%2); %3 bits per weight</source>
            <translation>Größe: etwa %1 (%2); %3 Bit pro Gewicht</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="1" />
            <source>Size: computing…</source>
            <translation>Größe: wird berechnet…</translation>
        </message>
        <message>
            <location filename="../app/studio/exportdialog.cpp" line="1" />
            <source>Size preview</source>
            <translation>Größenvorschau</translation>
        </message>
    </context>
    <context>
        <name>lqer::JobRunner</name>
        <message>
            <location filename="../app/studio/jobrunner.cpp" line="155" />
            <source>%1 s</source>
            <translation>%1 s</translation>
        </message>
        <message>
            <location filename="../app/studio/jobrunner.cpp" line="157" />
            <source>%1 min %2 s</source>
            <translation>%1 min %2 s</translation>
        </message>
        <message>
            <location filename="../app/studio/jobrunner.cpp" line="158" />
            <source>%1 h %2 min</source>
            <translation>%1 h %2 min</translation>
        </message>
    </context>
    <context>
        <name>lqer::JobStatus</name>
        <message>
            <location filename="../app/studio/jobstatus.cpp" line="44" />
            <source>ETA –</source>
            <translation>Restzeit –</translation>
        </message>
        <message>
            <location filename="../app/studio/jobstatus.cpp" line="52" />
            <source>ETA %1</source>
            <translation>Restzeit %1</translation>
        </message>
        <message>
            <location filename="../app/studio/jobstatus.cpp" line="53" />
            <location filename="../app/studio/jobstatus.cpp" line="58" />
            <source>UI stall max %1 ms</source>
            <translation>Max. UI-Blockade %1 ms</translation>
        </message>
        <message>
            <location filename="../app/studio/jobstatus.cpp" line="58" />
            <source>Memory %1</source>
            <translation>Speicher %1</translation>
        </message>
        <message>
            <location filename="../app/studio/jobstatus.cpp" line="66" />
            <source>Anonymous memory of the studio (RssAnon: heap and working buffers); the highest reading during the job: %1. The page cache of the memory-mapped checkpoint is not counted: the system reclaims it when memory runs short.</source>
            <translation>Anonymer Speicher des Studios (RssAnon: Heap und Arbeitspuffer); höchster Wert während des Auftrags: %1. Der Seitencache des eingeblendeten Checkpoints zählt nicht mit: das System gibt ihn frei, wenn der Speicher knapp wird.</translation>
        </message>
        <message>
            <location filename="../app/studio/jobstatus.cpp" line="99" />
            <source>Memory peak %1</source>
            <translation>Speicher max. %1</translation>
        </message>
    </context>
    <context>
        <name>lqer::LayerBrowser</name>
        <message>
            <location filename="../app/studio/layerbrowser.cpp" line="55" />
            <source>Invalid regular expression</source>
            <translation>Ungültiger regulärer Ausdruck</translation>
        </message>
        <message>
            <location filename="../app/studio/layerbrowser.cpp" line="89" />
            <source>Filter layers by name…</source>
            <translation>Schichten nach Namen filtern…</translation>
        </message>
        <message>
            <location filename="../app/studio/layerbrowser.cpp" line="90" />
            <source>Regex</source>
            <translation>Regex</translation>
        </message>
    </context>
    <context>
        <name>lqer::LayerBrowserModel</name>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="59" />
            <source>Layer</source>
            <translation>Schicht</translation>
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="59" />
            <source>Shape (out × in)</source>
            <translation>Form (aus × ein)</translation>
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="59" />
            <source>DType</source>
            <translation>Datentyp</translation>
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="59" />
            <source>Parameters</source>
            <translation>Parameter</translation>
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="60" />
            <source>Bits/w</source>
            <translation>Bits/Gew.</translation>
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="60" />
            <source>eₐ (mean |E−Ẽ|)</source>
            <translation>eₐ (mittl. |E−Ẽ|)</translation>
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="60" />
            <source>Rel. error</source>
            <translation>Rel. Fehler</translation>
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="60" />
            <source>Time</source>
            <translation>Zeit</translation>
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="63" />
            <location filename="../app/studio/layermodels.cpp" line="99" />
            <source>Block %1</source>
            <translation>Block %1</translation>
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="180" />
            <source>%1, k = %2
plain eₐ %3 → %4</source>
            <translation>%1, k = %2
eₐ ohne Korrektur %3 → %4</translation>
        </message>
    </context>
    <context>
        <name>lqer::LayerErrorChart</name>
        <message>
            <location filename="../widgets/layererrorchart.cpp" line="49" />
            <source>Quantize the model (Jobs &gt; Quantize model) to compare the error of every layer.
Clicking a bar selects its layer.</source>
            <translation>Quantisieren Sie das Modell (Aufträge &gt; Modell quantisieren), um den Fehler jeder Schicht zu vergleichen.
Ein Klick auf einen Balken wählt seine Schicht.</translation>
        </message>
        <message>
            <location filename="../widgets/layererrorchart.cpp" line="51" />
            <location filename="../widgets/layererrorchart.cpp" line="115" />
            <source>Layer (model order)</source>
            <translation>Schicht (Modellreihenfolge)</translation>
        </message>
        <message>
            <location filename="../widgets/layererrorchart.cpp" line="52" />
            <source>Error</source>
            <translation>Fehler</translation>
        </message>
        <message>
            <location filename="../widgets/layererrorchart.cpp" line="115" />
            <source>Layer (sorted by error)</source>
            <translation>Schicht (nach Fehler sortiert)</translation>
        </message>
        <message>
            <location filename="../widgets/layererrorchart.cpp" line="179" />
            <source>not computed</source>
            <translation>nicht berechnet</translation>
        </message>
    </context>
    <context>
        <name>lqer::LessonPanel</name>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="187" />
            <source>Open a model first.</source>
            <translation>Öffnen Sie zuerst ein Modell.</translation>
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="205" />
            <source>Checking…</source>
            <translation>Wird geprüft …</translation>
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="237" />
            <source>Correct: the engine computes %1.</source>
            <translation>Richtig: die Engine berechnet %1.</translation>
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="238" />
            <source>Not quite: the engine computes %1. Look at the view again and try once more.</source>
            <translation>Nicht ganz: die Engine berechnet %1. Sehen Sie sich die Ansicht noch einmal an und versuchen Sie es erneut.</translation>
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="249" />
            <source>Lesson: rank %1</source>
            <translation>Lektion: Rang %1</translation>
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="312" />
            <source>Rank k = %1 for %2</source>
            <translation>Rang k = %1 für %2</translation>
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="318" />
            <source>Computing the spectrum…</source>
            <translation>Das Spektrum wird berechnet …</translation>
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="324" />
            <source>LQER: rank %1 captures %2% of ‖E‖²; the residual E − AB keeps %3%.</source>
            <translation>LQER: Rang %1 erfasst %2 % von ‖E‖²; der Rest E − AB behält %3 %.</translation>
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="330" />
            <source>L²QER: it captures %1% of ‖SE‖².</source>
            <translation>L²QER: er erfasst %1 % von ‖SE‖².</translation>
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="333" />
            <source>(Calibrate to compare with L²QER.)</source>
            <translation>(Kalibrieren Sie, um mit L²QER zu vergleichen.)</translation>
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="348" />
            <source>← Previous</source>
            <translation>← Zurück</translation>
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="349" />
            <source>Next →</source>
            <translation>Weiter →</translation>
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="350" />
            <source>Check</source>
            <translation>Prüfen</translation>
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="351" />
            <source>Your answer</source>
            <translation>Ihre Antwort</translation>
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="359" />
            <source>Step %1 of %2</source>
            <translation>Schritt %1 von %2</translation>
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="364" />
            <source>Try this: %1</source>
            <translation>Probieren Sie: %1</translation>
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="375" />
            <source>Check: %1</source>
            <translation>Frage: %1</translation>
        </message>
        <message>
            <location filename="../app/studio/lessonpanel.cpp" line="323" />
            <source>LQER: rank %1 captures %2% of ‖E‖².</source>
            <translation>LQER: Rang %1 erfasst %2 % von ‖E‖².</translation>
        </message>
    </context>
    <context>
        <name>lqer::MainWindow</name>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="143" />
            <source>About LQER Studio</source>
            <translation>Über LQER Studio</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="144" />
            <source>&lt;b&gt;LQER Studio %1&lt;/b&gt;&lt;p&gt;Post-training quantization of LLMs with low-rank quantization error reconstruction (LQER / L²QER, Zhang et al., ICML 2024).&lt;/p&gt;</source>
            <translation>&lt;b&gt;LQER Studio %1&lt;/b&gt;&lt;p&gt;Quantisierung von LLMs nach dem Training mit niedrigrangiger Rekonstruktion des Quantisierungsfehlers (LQER / L²QER, Zhang et al., ICML 2024).&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="206" />
            <source>Check that the session database is writable.</source>
            <translation>Prüfen Sie, ob die Sitzungsdatenbank beschreibbar ist.</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="249" />
            <source>%1 — LQER Studio</source>
            <translation>%1 — LQER Studio</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="249" />
            <source>LQER Studio</source>
            <translation>LQER Studio</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="257" />
            <source>Layers</source>
            <translation>Schichten</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="258" />
            <source>Plan</source>
            <translation>Plan</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="259" />
            <location filename="../app/studio/mainwindow.cpp" line="556" />
            <source>Sessions</source>
            <translation>Sitzungen</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="266" />
            <source>Ready</source>
            <translation>Bereit</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="267" />
            <source>Open a checkpoint to begin (Ctrl+O or drop a folder)</source>
            <translation>Öffnen Sie einen Checkpoint, um zu beginnen (Strg+O oder Ordner hierher ziehen)</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="288" />
            <source>Open checkpoint folder</source>
            <translation>Checkpoint-Ordner öffnen</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="301" />
            <source>Cannot open checkpoint</source>
            <translation>Checkpoint kann nicht geöffnet werden</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="302" />
            <source>Choose a Hugging Face model folder with config.json and *.safetensors files (a LLaMA, Mistral, OPT, GPT-NeoX or GPT-2 model).</source>
            <translation>Wählen Sie einen Hugging-Face-Modellordner mit config.json und *.safetensors-Dateien (ein LLaMA-, Mistral-, OPT-, GPT-NeoX- oder GPT-2-Modell).</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="350" />
            <source>Opened the packed LQER checkpoint %1: %2 quantized layers; it can be evaluated (Jobs &gt; Evaluate perplexity), not re-quantized</source>
            <translation>Gepackter LQER-Checkpoint %1 geöffnet: %2 quantisierte Schichten; er kann ausgewertet (Aufträge &gt; Perplexität auswerten), aber nicht neu quantisiert werden</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="356" />
            <source>Opened %1: %2 linear layers, %3 parameters, in %4 ms</source>
            <translation>%1 geöffnet: %2 lineare Schichten, %3 Parameter, in %4 ms</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="445" />
            <source>Export view</source>
            <translation>Ansicht exportieren</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="456" />
            <source>Export failed</source>
            <translation>Export fehlgeschlagen</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="456" />
            <source>Choose another folder or file name.</source>
            <translation>Wählen Sie einen anderen Ordner oder Dateinamen.</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="458" />
            <source>Exported %1</source>
            <translation>%1 exportiert</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="500" />
            <source>Cancelling…</source>
            <translation>Wird abgebrochen…</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="526" />
            <source>%1: cancelled after %2</source>
            <translation>%1: abgebrochen nach %2</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="530" />
            <source>%1 failed</source>
            <translation>%1 fehlgeschlagen</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="531" />
            <source>Check the plan (formats, rank) and the input files named above, then run the job again.</source>
            <translation>Prüfen Sie den Plan (Formate, Rang) und die oben genannten Eingabedateien und starten Sie den Auftrag erneut.</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="533" />
            <source>%1: done in %2</source>
            <translation>%1: fertig in %2</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="260" />
            <location filename="../app/studio/mainwindow.cpp" line="556" />
            <source>Sessions (unavailable)</source>
            <translation>Sitzungen (nicht verfügbar)</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="565" />
            <source>Cannot compare the runs</source>
            <translation>Die Läufe können nicht verglichen werden</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="565" />
            <source>Choose two runs of the list.</source>
            <translation>Wählen Sie zwei Läufe aus der Liste.</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="302" />
            <source>Choose a Hugging Face model folder with config.json and *.safetensors files (a LLaMA, Mistral, OPT, GPT-NeoX or GPT-2 model), a GGUF LLaMA model or a llama2.c model file (.bin).</source>
            <translation>Wählen Sie einen Hugging-Face-Modellordner mit config.json und *.safetensors-Dateien (ein LLaMA-, Mistral-, OPT-, GPT-NeoX- oder GPT-2-Modell), ein GGUF-LLaMA-Modell oder eine llama2.c-Modelldatei (.bin).</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="1" />
            <source>Open model file</source>
            <translation>Modelldatei öffnen</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="1" />
            <source>Model files (*.gguf *.bin);;GGUF models (*.gguf);;llama2.c models (*.bin);;All files (*)</source>
            <translation>Modelldateien (*.gguf *.bin);;GGUF-Modelle (*.gguf);;llama2.c-Modelle (*.bin);;Alle Dateien (*)</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="1" />
            <source>Cannot open model file</source>
            <translation>Modelldatei kann nicht geöffnet werden</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="1" />
            <source>Choose one model file, and for a GGUF model optionally its LoRA adapter.</source>
            <translation>Wählen Sie eine Modelldatei, bei einem GGUF-Modell optional dazu seinen LoRA-Adapter.</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="1" />
            <source>Opened the GGUF model %1: %2 linear layers (%3); layer detail and analysis use the dequantized weights, Evaluate runs it as llama.cpp does%4</source>
            <translation>GGUF-Modell %1 geöffnet: %2 lineare Schichten (%3); Schichtdetail und Analyse verwenden die dequantisierten Gewichte, Auswerten rechnet wie llama.cpp%4</translation>
        </message>
        <message>
            <location filename="../app/studio/mainwindow.cpp" line="1" />
            <source> with the adapter %1</source>
            <translation> mit dem Adapter %1</translation>
        </message>
    </context>
    <context>
        <name>lqer::PlanEditor</name>
        <message>
            <location filename="../app/studio/planeditor.cpp" line="173" />
            <source>&amp;Preset:</source>
            <translation>&amp;Vorlage:</translation>
        </message>
        <message>
            <location filename="../app/studio/planeditor.cpp" line="174" />
            <source>Apply preset</source>
            <translation>Vorlage anwenden</translation>
        </message>
        <message>
            <location filename="../app/studio/planeditor.cpp" line="175" />
            <source>Replace the whole plan by the preset (undoable)</source>
            <translation>Den ganzen Plan durch die Vorlage ersetzen (rückgängig machbar)</translation>
        </message>
        <message>
            <location filename="../app/studio/planeditor.cpp" line="176" />
            <source>&amp;Method:</source>
            <translation>&amp;Methode:</translation>
        </message>
        <message>
            <location filename="../app/studio/planeditor.cpp" line="177" />
            <source>&amp;Rank k:</source>
            <translation>&amp;Rang k:</translation>
        </message>
        <message>
            <location filename="../app/studio/planeditor.cpp" line="178" />
            <source>W &amp;bits:</source>
            <translation>W-&amp;Bits:</translation>
        </message>
        <message>
            <location filename="../app/studio/planeditor.cpp" line="179" />
            <source>B&amp;lock:</source>
            <translation>B&amp;lock:</translation>
        </message>
        <message>
            <location filename="../app/studio/planeditor.cpp" line="180" />
            <source>&amp;Activations:</source>
            <translation>A&amp;ktivierungen:</translation>
        </message>
        <message>
            <location filename="../app/studio/planeditor.cpp" line="181" />
            <source>Apply to &amp;selected</source>
            <translation>Auf Au&amp;swahl anwenden</translation>
        </message>
        <message>
            <location filename="../app/studio/planeditor.cpp" line="182" />
            <source>Apply to a&amp;ll</source>
            <translation>Auf a&amp;lle anwenden</translation>
        </message>
        <message>
            <location filename="../app/studio/planeditor.cpp" line="184" />
            <source>Set method, rank, weight bits, block and activation format of the selected layers</source>
            <translation>Methode, Rang, Gewichtsbits, Block und Aktivierungsformat der ausgewählten Schichten setzen</translation>
        </message>
        <message>
            <location filename="../app/studio/planeditor.cpp" line="185" />
            <source>Set method, rank, weight bits, block and activation format of every layer</source>
            <translation>Methode, Rang, Gewichtsbits, Block und Aktivierungsformat aller Schichten setzen</translation>
        </message>
        <message numerus="yes">
            <location filename="../app/studio/planeditor.cpp" line="267" />
            <source>Set %1 k=%2 W%3 B%4 on %n layer(s)</source>
            <translation>
                <numerusform>%1 k=%2 W%3 B%4 für %n Schicht setzen</numerusform>
                <numerusform>%1 k=%2 W%3 B%4 für %n Schichten setzen</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../app/studio/planeditor.cpp" line="284" />
            <source>Apply preset %1</source>
            <translation>Vorlage %1 anwenden</translation>
        </message>
    </context>
    <context>
        <name>lqer::PlanTableModel</name>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="272" />
            <source>%1
(overrides the plan defaults)</source>
            <translation>%1
(überschreibt die Standardwerte des Plans)</translation>
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="283" />
            <source>yes</source>
            <translation>ja</translation>
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="283" />
            <source>no (fp32)</source>
            <translation>nein (fp32)</translation>
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="308" />
            <source>Layer</source>
            <translation>Schicht</translation>
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="310" />
            <source>Quantize</source>
            <translation>Quantisieren</translation>
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="312" />
            <source>Weight format</source>
            <translation>Gewichtsformat</translation>
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="314" />
            <source>W bits</source>
            <translation>W-Bits</translation>
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="316" />
            <source>Block</source>
            <translation>Block</translation>
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="318" />
            <source>Activations</source>
            <translation>Aktivierungen</translation>
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="320" />
            <source>Method</source>
            <translation>Methode</translation>
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="322" />
            <source>Rank k</source>
            <translation>Rang k</translation>
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="324" />
            <source>Bits/w</source>
            <translation>Bits/Gew.</translation>
        </message>
        <message>
            <location filename="../app/studio/layermodels.cpp" line="352" />
            <source>Set %1 of %2</source>
            <translation>%1 von %2 setzen</translation>
        </message>
        <message numerus="yes">
            <location filename="../app/studio/layermodels.cpp" line="353" />
            <source>Set %1 of %n layers</source>
            <translation>
                <numerusform>%1 von %n Schicht setzen</numerusform>
                <numerusform>%1 von %n Schichten setzen</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>lqer::PlotView</name>
        <message>
            <location filename="../widgets/plotview.cpp" line="113" />
            <source>PNG image (*.png)</source>
            <translation>PNG-Bild (*.png)</translation>
        </message>
        <message>
            <location filename="../widgets/plotview.cpp" line="113" />
            <source>SVG vector image (*.svg)</source>
            <translation>SVG-Vektorgrafik (*.svg)</translation>
        </message>
        <message>
            <location filename="../widgets/plotview.cpp" line="113" />
            <source>PDF document (*.pdf)</source>
            <translation>PDF-Dokument (*.pdf)</translation>
        </message>
        <message>
            <location filename="../widgets/plotview.cpp" line="142" />
            <source>Cannot export %1: unknown format "%2" (use .png, .svg or .pdf)</source>
            <translation>%1 kann nicht exportiert werden: unbekanntes Format „%2“ (verwenden Sie .png, .svg oder .pdf)</translation>
        </message>
        <message>
            <location filename="../widgets/plotview.cpp" line="145" />
            <source>Cannot write %1: check that the folder exists and is writable</source>
            <translation>%1 kann nicht geschrieben werden: prüfen Sie, ob der Ordner existiert und beschreibbar ist</translation>
        </message>
        <message>
            <location filename="../widgets/plotview.cpp" line="195" />
            <source>Export…</source>
            <translation>Exportieren…</translation>
        </message>
        <message>
            <location filename="../widgets/plotview.cpp" line="196" />
            <source>Reset zoom</source>
            <translation>Zoom zurücksetzen</translation>
        </message>
        <message>
            <location filename="../widgets/plotview.cpp" line="213" />
            <source>Export plot</source>
            <translation>Diagramm exportieren</translation>
        </message>
        <message>
            <location filename="../widgets/plotview.cpp" line="225" />
            <source>Export failed</source>
            <translation>Export fehlgeschlagen</translation>
        </message>
    </context>
    <context>
        <name>lqer::RankSweepPlot</name>
        <message>
            <location filename="../widgets/ranksweepplot.cpp" line="27" />
            <source>Run a rank sweep (Jobs &gt; Rank sweep) to plot perplexity against the rank k,
with FP32 and plain quantization as reference lines.</source>
            <translation>Starten Sie einen Rang-Durchlauf (Aufträge &gt; Rang-Durchlauf), um die Perplexität über dem Rang k darzustellen,
mit FP32 und einfacher Quantisierung als Referenzlinien.</translation>
        </message>
        <message>
            <location filename="../widgets/ranksweepplot.cpp" line="29" />
            <source>Rank k (log₂ scale)</source>
            <translation>Rang k (log₂-Skala)</translation>
        </message>
        <message>
            <location filename="../widgets/ranksweepplot.cpp" line="30" />
            <source>Perplexity (lower is better)</source>
            <translation>Perplexität (niedriger ist besser)</translation>
        </message>
        <message>
            <location filename="../widgets/ranksweepplot.cpp" line="126" />
            <source>FP32 (%1)</source>
            <translation>FP32 (%1)</translation>
        </message>
        <message>
            <location filename="../widgets/ranksweepplot.cpp" line="128" />
            <source>Plain, k = 0 (%1)</source>
            <translation>Ohne Korrektur, k = 0 (%1)</translation>
        </message>
        <message>
            <location filename="../widgets/ranksweepplot.cpp" line="159" />
            <source>%1, k = %2
perplexity %3</source>
            <translation>%1, k = %2
Perplexität %3</translation>
        </message>
        <message>
            <location filename="../widgets/ranksweepplot.cpp" line="166" />
            <source>
+%1 vs FP32</source>
            <translation>
+%1 gegenüber FP32</translation>
        </message>
    </context>
    <context>
        <name>lqer::RunComparisonView</name>
        <message>
            <location filename="../widgets/runcomparison.cpp" line="139" />
            <source>&amp;Metric:</source>
            <translation>&amp;Metrik:</translation>
        </message>
        <message>
            <location filename="../widgets/runcomparison.cpp" line="140" />
            <source>Layer</source>
            <translation>Schicht</translation>
        </message>
        <message>
            <location filename="../widgets/runcomparison.cpp" line="140" />
            <location filename="../widgets/runcomparison.cpp" line="141" />
            <source>Run A</source>
            <translation>Lauf A</translation>
        </message>
        <message>
            <location filename="../widgets/runcomparison.cpp" line="140" />
            <location filename="../widgets/runcomparison.cpp" line="141" />
            <source>Run B</source>
            <translation>Lauf B</translation>
        </message>
        <message>
            <location filename="../widgets/runcomparison.cpp" line="140" />
            <location filename="../widgets/runcomparison.cpp" line="141" />
            <source>B − A</source>
            <translation>B − A</translation>
        </message>
        <message>
            <location filename="../widgets/runcomparison.cpp" line="140" />
            <source>B / A</source>
            <translation>B / A</translation>
        </message>
        <message>
            <location filename="../widgets/runcomparison.cpp" line="141" />
            <source>Perplexity</source>
            <translation>Perplexität</translation>
        </message>
        <message>
            <location filename="../widgets/runcomparison.cpp" line="148" />
            <source>Select two runs in the Sessions panel and press Compare.</source>
            <translation>Wählen Sie zwei Läufe in der Sitzungsleiste und drücken Sie „Vergleichen“.</translation>
        </message>
        <message>
            <location filename="../widgets/runcomparison.cpp" line="155" />
            <source>&lt;b&gt;A&lt;/b&gt;: %1 &amp;nbsp;&amp;nbsp; &lt;b&gt;B&lt;/b&gt;: %2</source>
            <translation>&lt;b&gt;A&lt;/b&gt;: %1 &amp;nbsp;&amp;nbsp; &lt;b&gt;B&lt;/b&gt;: %2</translation>
        </message>
        <message>
            <location filename="../widgets/runcomparison.cpp" line="191" />
            <source>No perplexity evaluated for these plans yet (Jobs &gt; Evaluate perplexity).</source>
            <translation>Für diese Pläne wurde noch keine Perplexität ausgewertet (Aufträge &gt; Perplexität auswerten).</translation>
        </message>
    </context>
    <context>
        <name>lqer::SessionBrowser</name>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="119" />
            <source>Name:</source>
            <translation>Name:</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="123" />
            <source>Delete session</source>
            <translation>Sitzung löschen</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="141" />
            <source>Rename session</source>
            <translation>Sitzung umbenennen</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="149" />
            <source>Duplicate session</source>
            <translation>Sitzung duplizieren</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="150" />
            <source>%1 (copy)</source>
            <translation>%1 (Kopie)</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="175" />
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="175" />
            <source>Model</source>
            <translation>Modell</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="175" />
            <location filename="../app/studio/sessionbrowser.cpp" line="284" />
            <source>Runs</source>
            <translation>Läufe</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="175" />
            <source>Last run</source>
            <translation>Letzter Lauf</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="175" />
            <source>Modified</source>
            <translation>Geändert</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="177" />
            <source>Run</source>
            <translation>Lauf</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="177" />
            <source>Kind</source>
            <translation>Art</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="177" />
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="177" />
            <source>Layers</source>
            <translation>Schichten</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="177" />
            <source>Plan</source>
            <translation>Plan</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="177" />
            <source>Perplexity</source>
            <translation>Perplexität</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="177" />
            <source>Started</source>
            <translation>Gestartet</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="178" />
            <source>&amp;Open</source>
            <translation>Ö&amp;ffnen</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="179" />
            <source>Open the session: its model, plan and stored results (no recomputation)</source>
            <translation>Die Sitzung öffnen: ihr Modell, ihren Plan und die gespeicherten Ergebnisse (ohne Neuberechnung)</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="180" />
            <source>Re&amp;name…</source>
            <translation>U&amp;mbenennen …</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="181" />
            <source>D&amp;uplicate…</source>
            <translation>D&amp;uplizieren …</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="182" />
            <source>A new session with the same model and plan (without the runs)</source>
            <translation>Eine neue Sitzung mit demselben Modell und Plan (ohne die Läufe)</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="183" />
            <source>&amp;Delete…</source>
            <translation>&amp;Löschen …</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="184" />
            <source>&amp;Compare</source>
            <translation>&amp;Vergleichen</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="185" />
            <source>Select two runs (Ctrl+click) and compare them side by side</source>
            <translation>Zwei Läufe auswählen (Strg+Klick) und nebeneinander vergleichen</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="196" />
            <source>No session database.</source>
            <translation>Keine Sitzungsdatenbank.</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="197" />
            <source>Sessions unavailable: %1</source>
            <translation>Sitzungen nicht verfügbar: %1</translation>
        </message>
        <message numerus="yes">
            <location filename="../app/studio/sessionbrowser.cpp" line="212" />
            <source>%n session(s) in %1</source>
            <translation>
                <numerusform>%n Sitzung in %1</numerusform>
                <numerusform>%n Sitzungen in %1</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="292" />
            <source>Runs of the selected session (%1)</source>
            <translation>Läufe der gewählten Sitzung (%1)</translation>
        </message>
        <message numerus="yes">
            <location filename="../app/studio/sessionbrowser.cpp" line="298" />
            <source>%n point(s)</source>
            <translation>
                <numerusform>%n Punkt</numerusform>
                <numerusform>%n Punkte</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="390" />
            <location filename="../app/studio/sessionbrowser.cpp" line="400" />
            <location filename="../app/studio/sessionbrowser.cpp" line="414" />
            <source>No session is selected</source>
            <translation>Keine Sitzung ist ausgewählt</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="392" />
            <source>Cannot rename the session</source>
            <translation>Die Sitzung kann nicht umbenannt werden</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="403" />
            <source>Cannot duplicate the session</source>
            <translation>Die Sitzung kann nicht dupliziert werden</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="417" />
            <source>Delete the session "%1" and its %2 run(s)? This cannot be undone.</source>
            <translation>Die Sitzung „%1“ und ihre %2 Lauf/Läufe löschen? Das kann nicht rückgängig gemacht werden.</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="418" />
            <source>Deletion cancelled</source>
            <translation>Löschen abgebrochen</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="422" />
            <source>Cannot delete the session</source>
            <translation>Die Sitzung kann nicht gelöscht werden</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="302" />
            <source>%1 %2 ± %3</source>
            <translation>%1 %2 ± %3</translation>
        </message>
        <message>
            <location filename="../app/studio/sessionbrowser.cpp" line="308" />
            <source> (KL from FP32 %1, top-1 agreement %2 %)</source>
            <translation> (KL zu FP32 %1, Top-1-Übereinstimmung %2 %)</translation>
        </message>
    </context>
    <context>
        <name>lqer::SessionController</name>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="54" />
            <source>Session database unavailable</source>
            <translation>Sitzungsdatenbank nicht verfügbar</translation>
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="55" />
            <source>The studio works on without sessions (nothing is saved). The file was not changed; choose another one with --db FILE or LQER_SESSIONS_DB.</source>
            <translation>Das Studio arbeitet ohne Sitzungen weiter (nichts wird gespeichert). Die Datei wurde nicht verändert; wählen Sie eine andere mit --db DATEI oder LQER_SESSIONS_DB.</translation>
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="81" />
            <source>No session database is open</source>
            <translation>Keine Sitzungsdatenbank ist geöffnet</translation>
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="84" />
            <source>No checkpoint is open</source>
            <translation>Kein Checkpoint ist geöffnet</translation>
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="132" />
            <location filename="../app/studio/sessioncontroller.cpp" line="169" />
            <location filename="../app/studio/sessioncontroller.cpp" line="192" />
            <source>Cannot save the plan</source>
            <translation>Der Plan kann nicht gespeichert werden</translation>
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="132" />
            <location filename="../app/studio/sessioncontroller.cpp" line="169" />
            <location filename="../app/studio/sessioncontroller.cpp" line="192" />
            <location filename="../app/studio/sessioncontroller.cpp" line="250" />
            <source>Check the session database (--db).</source>
            <translation>Prüfen Sie die Sitzungsdatenbank (--db).</translation>
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="143" />
            <location filename="../app/studio/sessioncontroller.cpp" line="151" />
            <source>Cannot save the run</source>
            <translation>Der Lauf kann nicht gespeichert werden</translation>
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="144" />
            <location filename="../app/studio/sessioncontroller.cpp" line="152" />
            <source>The results stay in the window; check the session database (--db).</source>
            <translation>Die Ergebnisse bleiben im Fenster; prüfen Sie die Sitzungsdatenbank (--db).</translation>
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="202" />
            <source>The model files changed since this session was saved (%1): the stored results were computed from other weights. Re-run the jobs to refresh them. (fingerprint %2… now %3…)</source>
            <translation>Die Modelldateien haben sich geändert, seit diese Sitzung gespeichert wurde (%1): die gespeicherten Ergebnisse wurden aus anderen Gewichten berechnet. Führen Sie die Aufträge erneut aus, um sie zu aktualisieren. (Fingerabdruck %2… jetzt %3…)</translation>
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="208" />
            <source>Model files changed</source>
            <translation>Modelldateien geändert</translation>
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="221" />
            <source>The session's statistics %1 are missing.</source>
            <translation>Die Statistiken %1 der Sitzung fehlen.</translation>
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="223" />
            <source>The session's statistics %1 changed since; not loaded.</source>
            <translation>Die Statistiken %1 der Sitzung haben sich seitdem geändert; nicht geladen.</translation>
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="249" />
            <location filename="../app/studio/sessioncontroller.cpp" line="260" />
            <source>Cannot open the session</source>
            <translation>Die Sitzung kann nicht geöffnet werden</translation>
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="258" />
            <source>Session "%1": its model %2 cannot be opened: %3</source>
            <translation>Sitzung „%1“: ihr Modell %2 kann nicht geöffnet werden: %3</translation>
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="261" />
            <source>Move the model back to %1, or open the model and start a new session.</source>
            <translation>Verschieben Sie das Modell zurück nach %1 oder öffnen Sie das Modell und beginnen Sie eine neue Sitzung.</translation>
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="286" />
            <source>%1 — %2 — LQER Studio</source>
            <translation>%1 — %2 — LQER Studio</translation>
        </message>
        <message>
            <location filename="../app/studio/sessioncontroller.cpp" line="291" />
            <source>Reopened session "%1": %2 stored layer results, %3 run(s), in %4 ms. %5</source>
            <translation>Sitzung „%1“ wieder geöffnet: %2 gespeicherte Schichtergebnisse, %3 Lauf/Läufe, in %4 ms. %5</translation>
        </message>
    </context>
    <context>
        <name>lqer::SpectrumPlot</name>
        <message>
            <location filename="../widgets/spectrumplot.cpp" line="27" />
            <source>Select a layer to see the singular values of its quantization error:
LQER (σ of αE) against L²QER and QERA (σ of SE). L²QER and QERA need calibration statistics (Jobs &gt; Calibrate).</source>
            <translation>Wählen Sie eine Schicht, um die Singulärwerte ihres Quantisierungsfehlers zu sehen:
LQER (σ von αE) gegen L²QER und QERA (σ von SE). L²QER und QERA brauchen Kalibrierungsstatistiken (Aufträge &gt; Kalibrieren).</translation>
        </message>
        <message>
            <location filename="../widgets/spectrumplot.cpp" line="29" />
            <source>Singular value index i</source>
            <translation>Index i des Singulärwerts</translation>
        </message>
        <message>
            <location filename="../widgets/spectrumplot.cpp" line="30" />
            <source>Singular value σᵢ (log scale)</source>
            <translation>Singulärwert σᵢ (log. Skala)</translation>
        </message>
        <message>
            <location filename="../widgets/spectrumplot.cpp" line="31" />
            <source>Quantization error spectrum</source>
            <translation>Spektrum des Quantisierungsfehlers</translation>
        </message>
        <message>
            <location filename="../widgets/spectrumplot.cpp" line="32" />
            <source>Quantization error spectrum — %1</source>
            <translation>Spektrum des Quantisierungsfehlers — %1</translation>
        </message>
        <message>
            <location filename="../widgets/spectrumplot.cpp" line="136" />
            <source>σ index %1</source>
            <translation>σ-Index %1</translation>
        </message>
        <message>
            <location filename="../widgets/spectrumplot.cpp" line="149" />
            <source>inside the rank-%1 term</source>
            <translation>im Term vom Rang %1</translation>
        </message>
        <message>
            <location filename="../widgets/spectrumplot.cpp" line="149" />
            <source>left as error (i &gt; k)</source>
            <translation>verbleibt als Fehler (i &gt; k)</translation>
        </message>
    </context>
    <context>
        <name>lqer::Teaching</name>
        <message>
            <location filename="../app/studio/teaching.cpp" line="36" />
            <source>Open session file</source>
            <translation>Sitzungsdatei öffnen</translation>
        </message>
        <message>
            <location filename="../app/studio/teaching.cpp" line="37" />
            <source>LQER session bundles (*.%1)</source>
            <translation>LQER-Sitzungspakete (*.%1)</translation>
        </message>
        <message>
            <location filename="../app/studio/teaching.cpp" line="97" />
            <source>cannot create a temporary folder</source>
            <translation>kann keinen temporären Ordner anlegen</translation>
        </message>
        <message>
            <location filename="../app/studio/teaching.cpp" line="99" />
            <location filename="../app/studio/teaching.cpp" line="128" />
            <source>Cannot open the session file</source>
            <translation>Die Sitzungsdatei kann nicht geöffnet werden</translation>
        </message>
        <message>
            <location filename="../app/studio/teaching.cpp" line="107" />
            <source>Where is the model %1? Choose the folder that holds your models</source>
            <translation>Wo ist das Modell %1? Wählen Sie den Ordner, der Ihre Modelle enthält</translation>
        </message>
        <message>
            <location filename="../app/studio/teaching.cpp" line="123" />
            <source>Session file %1: %2. Shown without the model: its runs in the Sessions panel and the rank sweep. Put the model beside the session file, or choose the folder that holds your models when opening it, for the layer plots.</source>
            <translation>Sitzungsdatei %1: %2. Ohne das Modell gezeigt: ihre Läufe in der Sitzungsleiste und der Rang-Durchlauf. Legen Sie das Modell neben die Sitzungsdatei oder wählen Sie beim Öffnen den Ordner, der Ihre Modelle enthält, um die Schichtdiagramme zu sehen.</translation>
        </message>
        <message>
            <location filename="../app/studio/teaching.cpp" line="100" />
            <location filename="../app/studio/teaching.cpp" line="129" />
            <source>Choose a file written by “lqer sessions export --session”.</source>
            <translation>Wählen Sie eine Datei, die „lqer sessions export --session“ geschrieben hat.</translation>
        </message>
        <message>
            <location filename="../app/studio/teaching.cpp" line="146" />
            <source>Opened the session file %1 (read-only: changes stay in a private copy)</source>
            <translation>Sitzungsdatei %1 geöffnet (schreibgeschützt: Änderungen bleiben in einer privaten Kopie)</translation>
        </message>
        <message>
            <location filename="../app/studio/teaching.cpp" line="221" />
            <source>&amp;Lessons</source>
            <translation>&amp;Lektionen</translation>
        </message>
        <message>
            <location filename="../app/studio/teaching.cpp" line="224" />
            <source>Lessons</source>
            <translation>Lektionen</translation>
        </message>
        <message>
            <location filename="../app/studio/teaching.cpp" line="225" />
            <source>Lessons panel</source>
            <translation>Lektionsbereich</translation>
        </message>
        <message>
            <location filename="../app/studio/teaching.cpp" line="226" />
            <source>&amp;Presentation mode</source>
            <translation>&amp;Präsentationsmodus</translation>
        </message>
        <message>
            <location filename="../app/studio/teaching.cpp" line="227" />
            <source>Open &amp;session file…</source>
            <translation>&amp;Sitzungsdatei öffnen …</translation>
        </message>
    </context>
</TS>
