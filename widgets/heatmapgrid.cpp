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
    QVector<qint64> counts(n, 0);
    for (qint64 r = 0; r < rows; ++r) {
        const float *row = data + r * cols;
        const qsizetype base = qsizetype(r / cell) * grid.cols;
        for (qint64 c = 0; c < cols; ++c) {
            const double v = std::fabs(double(row[c]));
            const qsizetype i = base + qsizetype(c / cell);
            grid.mean[i] += v;
            if (v > grid.max[i])
                grid.max[i] = v;
            ++counts[i];
        }
    }
    for (qsizetype i = 0; i < n; ++i)
        grid.mean[i] /= double(std::max<qint64>(1, counts[i]));
    return grid;
}

} // namespace lqer
