package io.mdevplan.executor.files;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Every file access of the executor: the kernel's sysfs files and mdevctl's definitions. Paths come from
 * {@link io.mdevplan.executor.sysfs.SysfsLayout}, which checked every name in them. Kept this narrow so that a
 * simulated kernel can stand in for the real one in tests and benchmarks, and a review can see every write.
 * Reads fail unchecked (a tree the executor cannot read is no state it can repair); writes fail checked, carrying
 * the errno.
 */
public interface SysfsFiles {

    /** The whole text of a file (sysfs adds a trailing newline), or empty when there is no such file. */
    Optional<String> read(Path file);

    /** The names of a directory's entries, sorted; empty when there is no such directory. Links are followed. */
    List<String> list(Path directory);

    /** Where a symbolic link points, as the link says (sysfs links are relative); empty when it is no link. */
    Optional<Path> readLink(Path link);

    /** Whether something is there, following links. */
    boolean exists(Path path);

    /** Whether a directory is there, following links. */
    boolean isDirectory(Path path);

    /** Writes {@code text} to an existing sysfs file in one write, never creating the file. */
    void write(Path file, String text) throws SysfsWriteException;

    /** Creates or replaces a regular file (an mdevctl definition) as a whole, creating its directories. */
    void writeRegularFile(Path file, String text) throws SysfsWriteException;

    /** Deletes a regular file; nothing happens when it is not there. */
    void deleteRegularFile(Path file) throws SysfsWriteException;
}
