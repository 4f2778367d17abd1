package io.mdevplan.planner.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * Watches the heap while a benchmark step runs. The peak comes from two sources: every garbage collection reports the
 * heap just before it ran (the moments the heap was fullest), and a sampler reads the heap every few milliseconds in
 * between. The most the heap held right after a collection bounds what the step really kept from above (a young
 * collection leaves old garbage in place).
 */
final class HeapMonitor implements AutoCloseable {

    private static final long SAMPLE_MILLIS = 10;

    /** Peak heap in use and the most left after a collection, in bytes. */
    record HeapPeak(long peakUsedBytes, long maxAfterGcBytes) {
    }

    private final AtomicLong peakUsed = new AtomicLong();
    private final AtomicLong maxAfterGc = new AtomicLong();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::onGc;
    private final Thread sampler;
    private volatile boolean running = true;

    private HeapMonitor() {
        var memory = ManagementFactory.getMemoryMXBean();
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
        sampler = new Thread(() -> {
            while (running) {
                peakUsed.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(SAMPLE_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }, "heap-monitor");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Collects garbage first, so that what earlier steps left behind does not count towards this one. */
    static HeapMonitor start() {
        System.gc();
        return new HeapMonitor();
    }

    HeapPeak peak() {
        return new HeapPeak(peakUsed.get(), maxAfterGc.get());
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
        for (var emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException e) {
                // Already gone: nothing left to remove.
            }
        }
    }

    private void onGc(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()).getGcInfo();
        peakUsed.accumulateAndGet(heapUsed(info.getMemoryUsageBeforeGc()), Math::max);
        maxAfterGc.accumulateAndGet(heapUsed(info.getMemoryUsageAfterGc()), Math::max);
    }

    /** GC info lists every memory pool; only the heap pools count. */
    private static long heapUsed(Map<String, MemoryUsage> pools) {
        var used = 0L;
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                var usage = pools.get(pool.getName());
                used += usage == null ? 0 : usage.getUsed();
            }
        }
        return used;
    }
}
