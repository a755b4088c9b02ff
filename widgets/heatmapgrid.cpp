#include "widgets/heatmapgrid.h"

#include <algorithm>
#include <cmath>

namespace lqer {

HeatmapGrid makeHeatmapGrid(const float *data, qint64 rows, qint64 cols, int maxCells)
{
    HeatmapGrid grid;
    grid.sourceRows = rows;
    grid.sourceCols = cols;
    if (!data || rows <= 0 || cols <= 0 || maxCells <= 0)
        return grid;
    // One cell size for both directions: ceil(max(rows, cols) / maxCells).
    const qint64 longest = std::max(rows, cols);
    const qint64 cell = std::max<qint64>(1, (longest + maxCells - 1) / maxCells);
    grid.cellRows = int(cell);
    grid.cellCols = int(cell);
    grid.rows = int((rows + cell - 1) / cell);
    grid.cols = int((cols + cell - 1) / cell);
    const qsizetype n = qsizetype(grid.rows) * grid.cols;
    grid.mean.fill(0.0, n);
    grid.max.fill(0.0, n);
    // A cell's sum per source row, then added to the cell: no division or container access per
    // element (a 11008 x 4096 layer's four grids cost seconds that way).
    double *mean = grid.mean.data();
    double *max = grid.max.data();
    for (qint64 r = 0; r < rows; ++r) {
        const float *row = data + r * cols;
        const qsizetype base = qsizetype(r / cell) * grid.cols;
        for (int gc = 0; gc < grid.cols; ++gc) {
            const qint64 begin = qint64(gc) * cell;
            const qint64 end = std::min(cols, begin + cell);
            double sum = 0;
            float top = 0;
            for (qint64 c = begin; c < end; ++c) {
                const float v = std::fabs(row[c]);
                sum += v;
                top = std::max(top, v);
            }
            mean[base + gc] += sum;
            max[base + gc] = std::max(max[base + gc], double(top));
        }
    }
    for (int gr = 0; gr < grid.rows; ++gr) {
        const qint64 cellRows = std::min(rows - qint64(gr) * cell, cell);
        for (int gc = 0; gc < grid.cols; ++gc) {
            const qint64 cellCols = std::min(cols - qint64(gc) * cell, cell);
            mean[qsizetype(gr) * grid.cols + gc] /= double(cellRows * cellCols);
        }
    }
    return grid;
}

} // namespace lqer
