// The charts of the dashboard: echarts (bundled at build time), only the parts used, every axis named with its unit.
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent, MarkLineComponent, AriaComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { el } from './shared.js';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, MarkLineComponent, AriaComponent, CanvasRenderer]);

/**
 * A chart in a figure with a caption (its title for screen readers too). {@code x} and {@code y} name the axes with
 * their units; {@code series} are echarts series. The chart is drawn once the figure is in the page.
 */
export function chart({ id, title, x, y, categories, series, xType = 'category', yMax }) {
    const box = el('div', { class: 'chart', id, role: 'img', 'aria-label': title });
    const figure = el('figure', { class: 'chart-figure', 'data-chart': id }, box);
    const draw = () => {
        const instance = echarts.init(box, null, { renderer: 'canvas' });
        instance.setOption({
            aria: { enabled: true },
            title: { text: title, left: 8, top: 4, textStyle: { fontSize: 14 } },
            tooltip: { trigger: 'axis' },
            legend: { top: 28 },
            grid: { left: 70, right: 24, top: 70, bottom: 70 },
            xAxis: { type: xType, data: categories, name: x, nameLocation: 'middle', nameGap: 44,
                axisLabel: { interval: categories && categories.length > 12 ? 'auto' : 0, rotate: categories && categories.length > 6 && categories.length <= 12 ? 30 : 0, fontSize: 11 } },
            yAxis: { type: 'value', name: y, nameLocation: 'middle', nameGap: 52, max: yMax, minInterval: 1 },
            series,
        });
        box.dataset.drawn = 'true';
        new ResizeObserver(() => instance.resize()).observe(box);
    };
    // drawn after the page has put the figure in the document, so that it has a size
    requestAnimationFrame(() => (box.isConnected ? draw() : requestAnimationFrame(draw)));
    return figure;
}
