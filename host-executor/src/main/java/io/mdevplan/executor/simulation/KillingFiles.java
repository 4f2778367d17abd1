package io.mdevplan.executor.simulation;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.mdevplan.executor.files.SysfsFiles;
import io.mdevplan.executor.files.SysfsWriteException;

/**
 * Files that kill the executor at the nth write, before it happens, as a power loss or {@code kill -9} would: the
 * write throws {@link Killed}, an Error no code of the executor catches, so nothing after it runs. Tests of crash
 * convergence run an executor on these, then a fresh one on the files beneath, and compare.
 */
public final class KillingFiles implements SysfsFiles {

    /** The kill: nothing after it runs, no catch sees it. */
    public static final class Killed extends Error {

        private static final long serialVersionUID = 1L;

        Killed(String write) {
            super("killed before " + write);
        }
    }

    private final SysfsFiles files;
    private final int killAtWrite;
    private final AtomicInteger writes = new AtomicInteger();

    /**
     * Kills at write number {@code killAtWrite}, counted from 1 over writes, definition writes and deletes; never
     * when the writes made stay below it (Integer.MAX_VALUE: only count them).
     */
    public KillingFiles(SysfsFiles files, int killAtWrite) {
        this.files = files;
        this.killAtWrite = killAtWrite;
    }

    /** The writes attempted so far, the killing one included. */
    public int writes() {
        return writes.get();
    }

    private void maybeKill(String write) {
        if (writes.incrementAndGet() == killAtWrite) {
            throw new Killed(write);
        }
    }

    @Override
    public Optional<String> read(Path file) {
        return files.read(file);
    }

    @Override
    public List<String> list(Path directory) {
        return files.list(directory);
    }

    @Override
    public Optional<Path> readLink(Path link) {
        return files.readLink(link);
    }

    @Override
    public boolean exists(Path path) {
        return files.exists(path);
    }

    @Override
    public boolean isDirectory(Path path) {
        return files.isDirectory(path);
    }

    @Override
    public void write(Path file, String text) throws SysfsWriteException {
        maybeKill("write " + file + " " + text);
        files.write(file, text);
    }

    @Override
    public void writeRegularFile(Path file, String text) throws SysfsWriteException {
        maybeKill("write " + file);
        files.writeRegularFile(file, text);
    }

    @Override
    public void deleteRegularFile(Path file) throws SysfsWriteException {
        maybeKill("delete " + file);
        files.deleteRegularFile(file);
    }
}
