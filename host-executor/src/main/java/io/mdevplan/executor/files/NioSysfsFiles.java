package io.mdevplan.executor.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/** The real files, through java.nio: sysfs on a host, a copied tree under a test directory. */
public final class NioSysfsFiles implements SysfsFiles {

    @Override
    public Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ". Maybe the executor lacks read permission.", e);
        }
    }

    @Override
    public List<String> list(Path directory) {
        try (var entries = Files.list(directory)) {
            return entries.map(entry -> entry.getFileName().toString()).sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + directory + ". Maybe the executor lacks read permission.",
                    e);
        }
    }

    @Override
    public Optional<Path> readLink(Path link) {
        if (!Files.isSymbolicLink(link)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readSymbolicLink(link));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the link " + link + ". Maybe it was removed meanwhile.", e);
        }
    }

    @Override
    public boolean exists(Path path) {
        return Files.exists(path);
    }

    @Override
    public boolean isDirectory(Path path) {
        return Files.isDirectory(path);
    }

    @Override
    public void write(Path file, String text) throws SysfsWriteException {
        // WRITE without CREATE: a sysfs file that is not there is an answer (ENOENT), not a file to make
        try {
            Files.write(file, text.getBytes(StandardCharsets.UTF_8), StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new SysfsWriteException(file, text, Errno.of(e), Errno.kernelMessage(e));
        }
    }

    @Override
    public void writeRegularFile(Path file, String text) throws SysfsWriteException {
        // written beside and moved over, so that a reader (mdevctl at boot) never sees half a definition
        var partial = file.resolveSibling("." + file.getFileName() + ".partial");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(partial, text);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new SysfsWriteException(file, text, Errno.of(e), Errno.kernelMessage(e));
        }
    }

    @Override
    public void deleteRegularFile(Path file) throws SysfsWriteException {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new SysfsWriteException(file, null, Errno.of(e), Errno.kernelMessage(e));
        }
    }

    /** Cleans up after a failed definition write; the write's own failure is what the caller reports. */
    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            file.toFile().deleteOnExit();
        }
    }
}
