// <nj-chart>: Apache ECharts behind a small custom element, so the Java side only sends options as
// JSON and receives zoom and click events. Tooltips render as canvas rich text, never as HTML, so
// telemetry in series names or labels stays inert.
import * as echarts from 'echarts';

class NightjarChart extends HTMLElement {
  connectedCallback() {
    if (this._chart) return;
    this.style.display = 'block';
    this._chart = echarts.init(this, this._scheme(), { renderer: 'canvas' });
    this._chart.on('datazoom', () => this._emitZoom());
    this._chart.on('brushEnd', (e) => this._emitBrush(e));
    this._chart.on('click', (e) => this.dispatchEvent(new CustomEvent('nj-click', {
      detail: { dataType: e.dataType || '', name: String(e.name ?? ''),
                source: String(e.data?.source ?? ''), target: String(e.data?.target ?? ''),
                seriesName: String(e.seriesName ?? ''), value: Number(Array.isArray(e.value) ? e.value[0] : e.value) || 0 }
    })));
    this._resize = new ResizeObserver(() => this._chart && this._chart.resize());
    this._resize.observe(this);
    if (this._pending) this.setOption(this._pending);
  }

  disconnectedCallback() {
    this._resize && this._resize.disconnect();
    this._chart && this._chart.dispose();
    this._chart = null;
  }

  _scheme() {
    // 'light dark' means "follow the system"; only then does the media query decide.
    const scheme = (getComputedStyle(document.documentElement).colorScheme || '').trim();
    const dark = scheme === 'dark'
      || (scheme.includes('dark') && scheme.includes('light') && matchMedia('(prefers-color-scheme: dark)').matches);
    return dark ? 'dark' : null;
  }

  /** Replaces the chart's option; {@code json} is an ECharts option object serialised as JSON. */
  setOption(json) {
    if (!this._chart) { this._pending = json; return; }
    const option = JSON.parse(json);
    option.backgroundColor = 'transparent';
    option.tooltip = Object.assign({}, option.tooltip, { renderMode: 'richText' });
    this._chart.setOption(option, { notMerge: true, lazyUpdate: false });
    if (option.brush) {
      // Dragging across the plot selects a time range at once, without picking a toolbox tool first.
      this._chart.dispatchAction({ type: 'takeGlobalCursor', key: 'brush',
        brushOption: { brushType: 'lineX', brushMode: 'single' } });
    }
    this.setAttribute('data-rendered', String(Date.now()));
  }

  _emitZoom() {
    const axis = this._chart.getModel().getComponent('xAxis', 0);
    if (!axis) return;
    const [start, end] = axis.axis.scale.getExtent();
    this.dispatchEvent(new CustomEvent('nj-zoom', { detail: { start: Math.round(start), end: Math.round(end) } }));
  }

  _emitBrush(e) {
    const area = e.areas && e.areas[0];
    if (!area || !area.coordRange) return;
    const [start, end] = area.coordRange;
    this._chart.dispatchAction({ type: 'brush', areas: [] });
    this.dispatchEvent(new CustomEvent('nj-zoom', { detail: { start: Math.round(start), end: Math.round(end) } }));
  }
}

customElements.define('nj-chart', NightjarChart);
