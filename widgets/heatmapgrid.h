#pragma once

// A matrix of absolute errors reduced to at most maxCells x maxCells cells, so a 11008 x 4096
// layer becomes a heatmap a screen can show (and a worker thread can hand to the GUI cheaply).
// Each cell covers cellRows x cellCols source elements (the last row/column of cells may cover
// fewer) and keeps both the mean and the max of |x| over them: the mean shows the structure,
// the max shows outliers a mean would hide.

#include <QVector>

namespace lqer {

struct HeatmapGrid
{
    qint64 sourceRows = 0; // the matrix the grid summarises (out, in)
    qint64 sourceCols = 0;
    int rows = 0; // grid size
    int cols = 0;
    int cellRows = 1; // source elements per cell
    int cellCols = 1;
    QVector<double> mean; // rows * cols, row-major
    QVector<double> max;

    bool isEmpty() const { return rows == 0 || cols == 0; }
    bool isAggregated() const { return cellRows > 1 || cellCols > 1; }
    double meanAt(int r, int c) const { return mean[qsizetype(r) * cols + c]; }
    double maxAt(int r, int c) const { return max[qsizetype(r) * cols + c]; }
};

// Builds the grid from a row-major (rows x cols) float matrix, taking |x|. Cells are square in
// source elements when possible (same cell size in both directions) so blocks keep their shape.
HeatmapGrid makeHeatmapGrid(const float *data, qint64 rows, qint64 cols, int maxCells = 512);

} // namespace lqer
