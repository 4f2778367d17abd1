package io.mdevplan.executor.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mdevplan.executor.sysfs.FakeSysfs;

class NioSysfsFilesTest {

    @TempDir
    Path root;

    private final NioSysfsFiles files = new NioSysfsFiles();

    @Test
    void javasTextsForKernelAnswersMapToTheirErrnos() {
        // what Java makes of a failed write(2) on sysfs: the strerror text, as a plain IOException or a reason
        assertThat(Errno.of(new IOException("No space left on device"))).isEqualTo(Errno.ENOSPC);
        assertThat(Errno.of(new IOException("File exists"))).isEqualTo(Errno.EEXIST);
        assertThat(Errno.of(new IOException("Invalid argument"))).isEqualTo(Errno.EINVAL);
        assertThat(Errno.of(new IOException("Device or resource busy"))).isEqualTo(Errno.EBUSY);
        assertThat(Errno.of(new IOException("Too many users"))).isEqualTo(Errno.EUSERS);
        assertThat(Errno.of(new IOException("No such device"))).isEqualTo(Errno.ENODEV);
        assertThat(Errno.of(new IOException("Address already in use"))).isEqualTo(Errno.EADDRINUSE);
        assertThat(Errno.of(new FileSystemException("/sys/x", null, "No space left on device")))
                .isEqualTo(Errno.ENOSPC);
        assertThat(Errno.of(new NoSuchFileException("/sys/x"))).isEqualTo(Errno.ENOENT);
        assertThat(Errno.of(new AccessDeniedException("/sys/x"))).isEqualTo(Errno.EACCES);
        assertThat(Errno.of(new IOException("Stale file handle, or something new"))).isEqualTo(Errno.UNKNOWN);
    }

    @Test
    void theKernelMessageIsJavasTextOrTheErrnosOwn() {
        assertThat(Errno.kernelMessage(new IOException("File exists"))).isEqualTo("File exists");
        assertThat(Errno.kernelMessage(new NoSuchFileException("/sys/x"))).isEqualTo("No such file or directory");
        assertThat(Errno.kernelMessage(new IOException("Stale file handle"))).isEqualTo("Stale file handle");
    }

    @Test
    void aWriteToAMissingFileIsEnoentAndCreatesNothing() {
        var missing = root.resolve("remove");

        assertThatThrownBy(() -> files.write(missing, "1"))
                .isInstanceOf(SysfsWriteException.class)
                .hasMessageContaining("\"1\"").hasMessageContaining("ENOENT")
                .satisfies(thrown -> assertThat(((SysfsWriteException) thrown).errno()).isEqualTo(Errno.ENOENT));
        assertThat(missing).doesNotExist();
    }

    @Test
    void aWriteReplacesTheTextOfAnExistingFile() throws IOException, SysfsWriteException {
        var file = Files.writeString(root.resolve("create"), "");

        files.write(file, "8f1f3b2c-0c4a-4f0e-9b5a-2d6c7e8f9a0b");

        assertThat(file).hasContent("8f1f3b2c-0c4a-4f0e-9b5a-2d6c7e8f9a0b");
    }

    @Test
    void definitionsAreWrittenWholeWithTheirDirectoriesAndDeletedQuietly() throws SysfsWriteException, IOException {
        var definition = root.resolve("etc/mdevctl.d/mtty/8f1f3b2c-0c4a-4f0e-9b5a-2d6c7e8f9a0b");

        files.writeRegularFile(definition, "{\"a\": 1}\n");
        files.writeRegularFile(definition, "{}\n");

        assertThat(files.read(definition)).contains("{}\n");
        try (var entries = Files.list(definition.getParent())) {
            assertThat(entries).containsExactly(definition);
        }
        files.deleteRegularFile(definition);
        files.deleteRegularFile(definition);
        assertThat(definition).doesNotExist();
    }

    @Test
    void readsListsAndLinksAsTheTreeHasThem() throws IOException {
        new FakeSysfs(root).mtty();
        var bus = root.resolve("sys/class/mdev_bus");

        assertThat(files.list(bus)).containsExactly("mtty");
        assertThat(files.list(bus.resolve("mtty/mdev_supported_types"))).containsExactly("mtty-1", "mtty-2");
        assertThat(files.readLink(bus.resolve("mtty"))).contains(Path.of("../../devices/virtual/mtty/mtty"));
        assertThat(files.readLink(bus.resolve("mtty/mdev_supported_types"))).isEmpty();
        assertThat(files.isDirectory(bus.resolve("mtty"))).isTrue();
        assertThat(files.exists(bus.resolve("mtty/mdev_supported_types/mtty-1/create"))).isTrue();
        assertThat(files.read(bus.resolve("mtty/mdev_supported_types/mtty-1/available_instances"))).contains("24\n");
        assertThat(files.read(bus.resolve("nothing"))).isEmpty();
        assertThat(files.list(root.resolve("nothing"))).isEmpty();
    }
}
