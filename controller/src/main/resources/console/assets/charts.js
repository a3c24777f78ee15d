// The pipe page's two charts, on Chart.js (served from its WebJar): rows committed per interval by operation, and
// the longest a change waited for its commit per interval. The API answers only intervals that had a sync; the
// charts show every interval of the range, the others as zero, so that a quiet hour reads as quiet.

/** The ranges the charts show, each with the width of its intervals. */
export const RANGES = {
  hour: {label: 'Last hour', seconds: 3600, step: 60},
  day: {label: 'Last day', seconds: 86400, step: 900},
  week: {label: 'Last week', seconds: 604800, step: 3600},
};

const OPERATIONS = [
  {key: 'snapshot', label: 'Snapshot', color: '#8b5cf6'},
  {key: 'inserts', label: 'Inserts', color: '#16a34a'},
  {key: 'updates', label: 'Updates', color: '#2563eb'},
  {key: 'replaces', label: 'Replaces', color: '#0891b2'},
  {key: 'deletes', label: 'Deletes', color: '#dc2626'},
];

/** Every interval start of the range, oldest first, aligned as the API aligns them (multiples of the step). */
function intervals(range) {
  const step = range.step * 1000;
  const last = Math.floor(Date.now() / step) * step;
  const starts = [];
  for (let at = last - (Math.ceil(range.seconds / range.step) - 1) * step; at <= last; at += step) {
    starts.push(at);
  }
  return starts;
}

function label(at, range) {
  const date = new Date(at);
  return range.seconds > 86400
    ? date.toLocaleString(undefined, {weekday: 'short', hour: '2-digit', minute: '2-digit'})
    : date.toLocaleTimeString(undefined, {hour: '2-digit', minute: '2-digit'});
}

/** The points by interval start. */
function byStart(points) {
  return new Map(points.map(point => [new Date(point.at).getTime(), point]));
}

class IntervalChart {
  constructor(canvas) {
    this.canvas = canvas;
    this.chart = null;
  }

  /** Draws the datasets over the range's intervals, updating the chart in place once it exists. */
  draw(range, datasets, options) {
    const starts = intervals(range);
    const labels = starts.map(at => label(at, range));
    const data = datasets.map(dataset => ({...dataset, data: starts.map(dataset.value)}));
    if (typeof Chart === 'undefined') {
      return;
    }
    if (this.chart) {
      this.chart.data.labels = labels;
      this.chart.data.datasets.forEach((dataset, index) => { dataset.data = data[index].data; });
      this.chart.update('none');
      return;
    }
    this.chart = new Chart(this.canvas, {
      type: datasets[0].type,
      data: {labels, datasets: data.map(({value, ...rest}) => rest)},
      options: {
        animation: false,
        maintainAspectRatio: false,
        interaction: {mode: 'index', intersect: false},
        plugins: {legend: {position: 'bottom'}, title: {display: true, text: options.title}},
        scales: {x: {stacked: options.stacked, ticks: {maxTicksLimit: 8, autoSkip: true}},
          y: {stacked: options.stacked, beginAtZero: true, title: {display: true, text: options.unit}}},
      },
    });
  }

  destroy() {
    if (this.chart) {
      this.chart.destroy();
      this.chart = null;
    }
  }
}

/** Rows committed per interval, stacked by operation. */
export class RowsChart extends IntervalChart {
  show(points, range) {
    const known = byStart(points);
    this.draw(range, OPERATIONS.map(operation => ({
      type: 'bar', label: operation.label, backgroundColor: operation.color,
      value: at => (known.get(at) || {})[operation.key] || 0,
    })), {title: 'Rows per ' + (range.step >= 3600 ? 'hour' : range.step / 60 + ' min'), unit: 'rows',
      stacked: true});
    // How many intervals have rows, on the canvas, where a reader of the page (and its tests) can see it.
    this.canvas.dataset.intervalsWithRows = String(new Set(points
      .filter(point => OPERATIONS.some(operation => point[operation.key] > 0))
      .map(point => new Date(point.at).getTime())).size);
  }
}

/** The longest wait of a change per interval, with the current lag as the last point. */
export class LagChart extends IntervalChart {
  show(points, range, currentLag) {
    const known = byStart(points);
    const starts = intervals(range);
    const last = starts[starts.length - 1];
    this.draw(range, [{
      type: 'line', label: 'Lag (s)', borderColor: '#ea580c', backgroundColor: '#ea580c', pointRadius: 1,
      spanGaps: true,
      value: at => {
        const point = known.get(at);
        if (at === last && currentLag !== null && currentLag !== undefined) {
          return Math.max(currentLag, point ? point.lagSeconds : 0);
        }
        return point ? point.lagSeconds : null;
      },
    }], {title: 'Lag: the longest a change waited for its commit', unit: 'seconds', stacked: false});
  }
}
