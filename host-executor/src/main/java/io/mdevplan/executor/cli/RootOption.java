package io.mdevplan.executor.cli;

import java.nio.file.Path;
import java.util.function.Function;

import io.mdevplan.executor.files.SysfsFiles;
import io.mdevplan.executor.sysfs.SysfsLayout;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The --root every command takes, like mdevctl's MDEVCTL_ENV_ROOT: where sys/ and etc/ are. */
final class RootOption {

    @Option(names = "--root", paramLabel = "DIR", defaultValue = "/",
            description = "Directory that holds sys/ and etc/ (default: ${DEFAULT-VALUE}); a copy of a host's tree in"
                    + " tests.")
    private Path root;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    private CommandLine.Model.CommandSpec command;

    SysfsLayout layout() {
        return new SysfsLayout(root);
    }

    /** The files {@code filesForRoot} gives for the root; a root that is no directory is refused. */
    SysfsFiles files(Function<Path, SysfsFiles> filesForRoot) {
        var files = filesForRoot.apply(root);
        if (!files.isDirectory(root)) {
            throw new CommandLine.ParameterException(command.commandLine(), "The --root " + root + " is not a"
                    + " directory. Maybe leave --root out to use this host's /sys and /etc.");
        }
        return files;
    }
}
