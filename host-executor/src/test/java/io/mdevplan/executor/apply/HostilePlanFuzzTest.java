package io.mdevplan.executor.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.ThrowingConsumer;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mdevplan.executor.cli.ExecutorCli;
import io.mdevplan.executor.files.NioSysfsFiles;
import io.mdevplan.executor.sysfs.FakeSysfs;
import io.mdevplan.executor.sysfs.SysfsLayout;

/**
 * Random and hostile plan documents (wrong JSON types, huge numbers, deep nesting, megabyte strings, unknown and
 * repeated fields, path traversal, control characters, look-alikes, odd UUIDs, parents and types this host lacks,
 * repeated actions) fed to the plan reader and, where it accepts, to the applier: a simulated kernel, a real tree
 * on java.nio, and the {@code apply} command. Whatever the document, the executor answers with a plan or a
 * refusal that says where and what, writes nothing when it refuses, and never writes a file other than the mdev
 * core's create and remove files, device attributes and mdevctl definitions.
 *
 * <p>Each property is a stream of cases drawn from {@link Random}s seeded from a fixed base seed, so every run tries
 * the same inputs and a failure recurs; a failing case names its seed, from which its generator rebuilds its input
 * (e.g. {@code document(new Random(seed))}). Cases are bounded so that each property takes a second or two.
 */
final class HostilePlanFuzzTest {

    private static final String HOST = "node-01";
    private static final String SOURCE = "The plan under test";
    /** A device the trees hold before each case, defined, on mtty: removes and re-creates reach it. */
    private static final String DEVICE = "6b1e3c2a-4d5f-4e6a-8b7c-9d0e1f2a3b4c";
    /** Another device of the real tree, which sysfs' links lead to from {@link #DEVICE}'s directory. */
    private static final String OTHER_DEVICE = "7c2f4d3b-5e6a-4f7b-9c8d-0e1f2a3b4c5d";
    private static final String UUID_A = PlanApplierTest.UUID_A;
    private static final String MEGABYTE = "x".repeat(1 << 20);
    private static final String MEGABYTE_JSON = json(MEGABYTE);
    private static final String DEEP_ARRAY = "[".repeat(5000) + "]".repeat(5000);
    private static final String DEEP_OBJECT = "{\"a\":".repeat(2000) + "1" + "}".repeat(2000);
    /** Parent and type pairs this host has, and one it does not. */
    private static final List<ParentType> PARENT_TYPES = List.of(new ParentType("mtty", "mtty-1"),
            new ParentType("mtty", "mtty-2"), new ParentType(PlanApplierTest.GPU, PlanApplierTest.GVT_8),
            new ParentType(PlanApplierTest.GPU, "i915-GVTg_V5_4"), new ParentType(PlanApplierTest.IDXD,
                    "idxd-dsa-1dwq-v1"), new ParentType(PlanApplierTest.IDXD, "idxd-dsa-1swq-v1"),
            new ParentType("mtty", "i915-GVTg_V5_4"));
    private static final List<String> ATTRIBUTES = List.of("mdev/weight", "mdev/priority", "mdev/aggregation",
            "assign_adapter");
    /** Attribute names that would write another file than a driver attribute of the device. */
    private static final List<String> ATTACKING_ATTRIBUTES = List.of("remove", "mdev_type/create", "driver/unbind",
            "subsystem/drivers_probe", "iommu_group/type", "power/control", "uevent", "vfio-dev/vfio0/device/remove",
            "vfio-dev/vfio0/subsystem/vfio1/device/remove", "mdev/../remove", "mdev/../../../../../../etc/passwd",
            "/etc/passwd", "../" + OTHER_DEVICE + "/remove", "mdev/./weight", "mdev//weight", "mdev/weight/");
    private static final List<String> HOSTILE = List.of("", " ", "/", ".", "..", "../../etc", "../../../../etc/passwd",
            "/etc/passwd", "mtty/../mtty", "mtty\u0000", "mtty\n", "mtty\r\n", "\t", "m\u0442ty", "mtty\u200b",
            "\u202emtty", "\ud800", "\udfff", "mdev/../../remove", "mdev//weight", "mdev/", "mdev_type/create",
            "remove", "driver/unbind", "subsystem/drivers_probe", "vfio-dev/vfio0/device/remove",
            "vfio-dev/vfio0/subsystem/vfio1/device/remove", "sys/class/mdev_bus/mtty", "%2e%2e%2f", "C:\\Windows",
            "x".repeat(300), "{" + UUID_A + "}", "urn:uuid:" + UUID_A, UUID_A.replace("-", ""), UUID_A + "\n",
            UUID_A + ",aggregate=2", UUID_A.toUpperCase(), "\uff18" + UUID_A.substring(1),
            UUID_A.replace('a', '\u0430'), "00000000-0000-0000-0000-000000000000");
    /** The longest of the short random strings. */
    private static final int RANDOM_STRING_MAX_LENGTH = 12;
    /** Characters at the edges of ranges and classes, drawn more often than uniform drawing would reach them. */
    private static final List<Character> EDGE_CHARACTERS = List.of('\u0000', '\u001f', ' ', '\u007f', '\u0085',
            '\u00a0', '\u2028', '\ud800', '\udbff', '\udc00', '\udfff', '\ufeff', '\uffff');
    /** What may change: the core's create and remove files, device attributes, mdevctl definitions. */
    private static final Pattern MDEV_FILE = Pattern.compile(
            "sys/class/mdev_bus/[^/]+/mdev_supported_types/[^/]+/create"
            + "|sys/bus/mdev/devices/[0-9a-f-]{36}/(?!(mdev_type|driver|subsystem|iommu_group|vfio-dev|power)/)"
            + "[^/]+(/[^/]+)?|etc/mdevctl\\.d/[^/]+/[0-9a-f-]{36}");
    /** The same on the java.nio tree, whose files are seen where they really are, not through sysfs' links. */
    private static final Pattern NIO_MDEV_FILE = Pattern.compile("sys/devices/virtual/mtty/mtty/"
            + "(mdev_supported_types/[^/]+/create|" + DEVICE + "/(remove|mdev/[^/]+))|etc/mdevctl\\.d/.*");
    /** How much of a failing case's input its message shows: a megabyte would drown the report. */
    private static final int SHOWN_INPUT_LENGTH = 300;

    private record ParentType(String parent, String type) {
    }

    /** One alternative of a generator and its weight among the others. */
    private record Weighted(int weight, Supplier<String> value) {
    }

    // ---------------------------------------------------------------- the properties

    @TestFactory
    Stream<DynamicTest> theReaderAnswersWithAPlanOrARefusalThatSaysWhereAndWhat() {
        return cases(300, 1, HostilePlanFuzzTest::document, document -> read(document).ifPresent(plan -> {
            assertThat(plan.host()).isNotBlank();
            assertThat(plan.actions()).doesNotContainNull();
        }));
    }

    @TestFactory
    Stream<DynamicTest> theSimulatedKernelIsChangedOnlyThroughItsMdevFilesAndNotAtAllByARefusal() {
        return cases(200, 2, HostilePlanFuzzTest::document, document -> {
            var plan = read(document);
            if (plan.isEmpty()) {
                return;
            }
            var kernel = PlanApplierTest.newKernel();
            var layout = new SysfsLayout(PlanApplierTest.ROOT);
            assertThat(new PlanApplier(layout, kernel, true).apply(new Plan(HOST, List.of(PlanApplierTest.create(
                    "a0", DEVICE, "mtty", "mtty-1", null))))).extracting(ApplyReport::exitCode).isEqualTo(0);
            var before = TreeSnapshot.of(layout, kernel);
            var writesBefore = kernel.writeLog().size();

            var report = new PlanApplier(layout, kernel, true).apply(plan.get());

            assertAnswersEveryAction(plan.get(), report);
            var writes = kernel.writeLog().subList(writesBefore, kernel.writeLog().size());
            if (report.exitCode() == ApplyReport.EXIT_REFUSED) {
                assertThat(writes).isEmpty();
                assertThat(TreeSnapshot.of(layout, kernel)).isEqualTo(before);
            }
            assertThat(writes).allSatisfy(write -> assertThat(write.split(" ", 3)[1]).matches(MDEV_FILE));
        });
    }

    @TestFactory
    Stream<DynamicTest> aRealTreeIsChangedOnlyInItsMdevFilesAndNotAtAllByARefusal() {
        return cases(60, 3, HostilePlanFuzzTest::document, document -> {
            var plan = read(document);
            if (plan.isEmpty()) {
                return;
            }
            var run = applyOnARealTree(plan.get());

            assertAnswersEveryAction(plan.get(), run.report());
            var changed = changedPaths(run.before(), run.after());
            if (run.report().exitCode() == ApplyReport.EXIT_REFUSED) {
                assertThat(changed).isEmpty();
            }
            assertThat(changed).allSatisfy(path -> assertThat(path).startsWith(run.rootPrefix()).satisfies(
                    inRoot -> assertThat(inRoot.substring(run.rootPrefix().length())).matches(NIO_MDEV_FILE)));
        });
    }

    /**
     * Whatever an attribute of a create of the existing device is named, the only files that change are the
     * device's own driver attributes, its definition, and its remove file when a failed write is unwound: the
     * attribute's value (7) lands in no remove file, no other device's file and no file outside.
     */
    @TestFactory
    Stream<DynamicTest> anAttributeIsWrittenOnlyIntoItsDevicesAttributeFiles() {
        return cases(60, 4, HostilePlanFuzzTest::attributeName, name -> {
            var plan = read("{\"host\": \"node-01\", \"actions\": [{\"id\": \"a1\", \"op\": \"create\", \"uuid\": "
                    + json(DEVICE) + ", \"parent\": \"mtty\", \"type\": \"mtty-1\", \"attrs\": [{" + json(name)
                    + ": \"7\"}]}]}");
            if (plan.isEmpty()) {
                return;
            }
            var run = applyOnARealTree(plan.get());

            assertAnswersEveryAction(plan.get(), run.report());
            var deviceDir = run.rootPrefix() + "sys/devices/virtual/mtty/mtty/" + DEVICE + "/";
            assertThat(changedPaths(run.before(), run.after())).allSatisfy(path -> assertThat(path).matches(
                    Pattern.quote(deviceDir) + "(mdev/[^/]+|remove)|"
                    + Pattern.quote(run.rootPrefix() + "etc/mdevctl.d/mtty/" + DEVICE)));
            assertThat(run.after().get(deviceDir + "remove")).isIn("", "1");
        });
    }

    @TestFactory
    Stream<DynamicTest> applyExitsTwoWithTheReasonForAnUnreadablePlanAndNeverPrintsAStackTrace() {
        return cases(60, 5, HostilePlanFuzzTest::document, document -> {
            var kernel = PlanApplierTest.newKernel();
            var dir = Files.createTempDirectory("hostile-plan");
            var out = new StringWriter();
            var err = new StringWriter();
            try {
                var file = Files.write(dir.resolve("plan.json"), document.getBytes(StandardCharsets.UTF_8));

                var exitCode = ExecutorCli.commandLine(root -> kernel).setOut(new PrintWriter(out, true))
                        .setErr(new PrintWriter(err, true))
                        .execute("apply", "--plan", file.toString(), "--root", PlanApplierTest.ROOT.toString());

                assertThat(err.toString()).doesNotContain("\tat ").doesNotContain("Exception");
                try {
                    var plan = PlanReader.read(file);
                    var results = new ObjectMapper().readTree(out.toString()).get("results");
                    assertThat(results).hasSize(plan.actions().size());
                    assertThat(exitCode).isIn(ApplyReport.EXIT_DONE, ApplyReport.EXIT_REFUSED,
                            ApplyReport.EXIT_FAILED);
                } catch (PlanException refusal) {
                    assertThat(exitCode).isEqualTo(ApplyReport.EXIT_REFUSED);
                    assertThat(out.toString()).isEmpty();
                    assertThat(err.toString()).contains(refusal.getMessage());
                }
            } finally {
                delete(dir);
            }
        });
    }

    /**
     * The property's cases, "case n (seed s)": case n's input is drawn from {@code new Random(s)}, where s is the
     * n-th seed drawn from {@code new Random(baseSeed)}. A failure names the case, its seed and the input's start.
     */
    private static Stream<DynamicTest> cases(int count, long baseSeed, Function<Random, String> generator,
            ThrowingConsumer<String> property) {
        var seeds = new Random(baseSeed).longs(count).toArray();
        return IntStream.range(0, count).mapToObj(index -> {
            var name = "case %d (seed %d)".formatted(index + 1, seeds[index]);
            return dynamicTest(name, () -> {
                var input = generator.apply(new Random(seeds[index]));
                try {
                    property.accept(input);
                } catch (Throwable failure) {
                    throw new AssertionError(name + " fails on " + shown(input), failure);
                }
            });
        });
    }

    /** The input's start as a JSON string, and its length. */
    private static String shown(String input) {
        return json(input.substring(0, Math.min(input.length(), SHOWN_INPUT_LENGTH))) + " (" + input.length()
                + " characters)";
    }

    // ---------------------------------------------------------------- what every answer must be

    /** Reads the document; a refusal must name the source, be one line of text and say what to do. */
    private static Optional<Plan> read(String document) {
        try {
            return Optional.of(PlanReader.read(document.getBytes(StandardCharsets.UTF_8), SOURCE));
        } catch (PlanException refusal) {
            assertThat(refusal.getMessage()).startsWith(SOURCE).contains("Maybe").doesNotContain("\n")
                    .doesNotContain("Exception").hasSizeLessThan(2000);
            return Optional.empty();
        }
    }

    private static void assertAnswersEveryAction(Plan plan, ApplyReport report) {
        assertThat(report.results()).extracting(ActionResult::id)
                .containsExactlyElementsOf(plan.actions().stream().map(PlanAction::id).toList());
        assertThat(report.results()).allSatisfy(result -> {
            if (result.status() == ActionStatus.DONE) {
                assertThat(result.error()).isNull();
            } else {
                assertThat(result.error().message()).contains("Maybe").doesNotContain("\n").hasSizeLessThan(2000);
            }
        });
    }

    // ---------------------------------------------------------------- the documents

    private static String attributeName(Random random) {
        return choose(random, new Weighted(1, () -> anyOf(random, ATTRIBUTES)),
                new Weighted(4, () -> anyOf(random, ATTACKING_ATTRIBUTES)),
                new Weighted(2, () -> hostileString(random)));
    }

    /** Mostly plans; now and then a plan cut anywhere (empty included), a plan with trailing content, or no plan. */
    private static String document(Random random) {
        return choose(random, new Weighted(12, () -> plan(random)),
                new Weighted(1, () -> {
                    var plan = plan(random);
                    return plan.substring(0, intBetween(random, 0, plan.length()));
                }),
                new Weighted(1, () -> plan(random) + " {}"),
                new Weighted(1, () -> jsonValue(random)));
    }

    private static String plan(Random random) {
        var host = choose(random, new Weighted(20, () -> json(HOST)), new Weighted(1, () -> jsonValue(random)));
        var actions = choose(random,
                new Weighted(10, () -> "[" + String.join(", ", listOf(random, 5, () -> action(random))) + "]"),
                new Weighted(1, () -> jsonValue(random)));
        var unknown = choose(random, new Weighted(10, () -> ""), new Weighted(1, () -> ", "
                + json(anyOf(random, List.of("dryRun", "host", "actions", "\u0000", MEGABYTE))) + ": "
                + jsonValue(random)));
        return "{\"host\": " + host + ", \"actions\": " + actions + unknown + "}";
    }

    private static String action(Random random) {
        var id = field("id", choose(random, new Weighted(10, () -> json("a" + intBetween(random, 1, 4))),
                new Weighted(1, () -> jsonValue(random))));
        var op = field("op", mostly(random, () -> json(anyOf(random, List.of("create", "remove")))));
        var uuid = field("uuid", mostly(random, () -> json(anyOf(random, List.of(UUID_A, PlanApplierTest.UUID_B,
                DEVICE, DEVICE.toUpperCase())))));
        var parentAndType = choose(random,
                new Weighted(6, () -> {
                    var pair = anyOf(random, PARENT_TYPES);
                    return field("parent", json(pair.parent())) + ", " + field("type", json(pair.type()));
                }),
                new Weighted(1, () -> joinFields(
                        optionalField(random, "parent", () -> mostly(random,
                                () -> json(anyOf(random, PARENT_TYPES).parent()))),
                        optionalField(random, "type", () -> mostly(random,
                                () -> json(anyOf(random, PARENT_TYPES).type()))))));
        var instances = optionalField(random, "instances", () -> choose(random,
                new Weighted(12, () -> String.valueOf(intBetween(random, -1, 9))),
                new Weighted(1, () -> anyOf(random, List.of("2.5", "1e308", "99999999999", "-0", "\"2\"", "true",
                        "null", "[]"))),
                new Weighted(1, () -> jsonValue(random))));
        var attrs = optionalField(random, "attrs", () -> mostly(random, () -> attrs(random)));
        var unknown = choose(random, new Weighted(10, () -> ""), new Weighted(1, () -> anyOf(random,
                List.of("\"instance\": 2", "\"id\": \"a1\"", "\"uuid\": " + json(UUID_A), "\"force\": true"))));
        return "{" + joinFields(id, op, uuid, parentAndType, instances, attrs, unknown) + "}";
    }

    /** Up to three attribute objects, each of up to two names: an empty object is refused as well. */
    private static String attrs(Random random) {
        Supplier<String> attr = () -> json(choose(random, new Weighted(3, () -> anyOf(random, ATTRIBUTES)),
                new Weighted(1, () -> anyOf(random, ATTACKING_ATTRIBUTES)),
                new Weighted(1, () -> hostileString(random)))) + ": "
                + choose(random, new Weighted(3, () -> json(anyOf(random, List.of("4", "high", "1")))),
                        new Weighted(1, () -> jsonValue(random)));
        return "[" + String.join(", ", listOf(random, 3, () -> "{" + String.join(", ", listOf(random, 2, attr))
                + "}")) + "]";
    }

    /** The good values most of the time, so that the applier sees plans; a hostile one now and then. */
    private static String mostly(Random random, Supplier<String> good) {
        return choose(random, new Weighted(12, good), new Weighted(1, () -> json(hostileString(random))),
                new Weighted(1, () -> jsonValue(random)));
    }

    private static String field(String name, String value) {
        return json(name) + ": " + value;
    }

    /** The field one time in four absent (""), else present. */
    private static String optionalField(Random random, String name, Supplier<String> value) {
        return choose(random, new Weighted(1, () -> ""), new Weighted(3, () -> field(name, value.get())));
    }

    private static String joinFields(String... fields) {
        return Stream.of(fields).filter(field -> !field.isEmpty()).collect(Collectors.joining(", "));
    }

    /** Any JSON value, as text: hostile strings, numbers no field holds, literals, containers, deep nesting. */
    private static String jsonValue(Random random) {
        return choose(random,
                new Weighted(4, () -> json(hostileString(random))),
                new Weighted(2, () -> anyOf(random, List.of("0", "-1", "2.5", "1e308", "-0", "1E-400",
                        "99999999999999999999999", String.valueOf(Long.MIN_VALUE)))),
                new Weighted(2, () -> anyOf(random, List.of("true", "false", "null", "[]", "{}", "[null]",
                        "{\"a\": 1}", "[1, \"x\"]"))),
                new Weighted(1, () -> anyOf(random, List.of(DEEP_ARRAY, DEEP_OBJECT, MEGABYTE_JSON))));
    }

    private static String hostileString(Random random) {
        return choose(random, new Weighted(20, () -> anyOf(random, HOSTILE)),
                new Weighted(10, () -> randomString(random)), new Weighted(1, () -> MEGABYTE));
    }

    /**
     * A string of up to {@link #RANDOM_STRING_MAX_LENGTH} UTF-16 units, each any unit (control characters and lone
     * surrogates included), printable ASCII or an edge character; empty, one-unit and longest strings are edges.
     */
    private static String randomString(Random random) {
        var text = new StringBuilder();
        var length = intBetween(random, 0, RANDOM_STRING_MAX_LENGTH);
        for (var i = 0; i < length; i++) {
            text.append(switch (random.nextInt(4)) {
                case 0 -> anyOf(random, EDGE_CHARACTERS).charValue();
                // what the kernel's names are made of, so that near-misses of real names come up
                case 1 -> (char) (' ' + random.nextInt('~' - ' ' + 1));
                default -> (char) random.nextInt(Character.MAX_VALUE + 1);
            });
        }
        return text.toString();
    }

    // ---------------------------------------------------------------- drawing

    /** One of the alternatives, each as often as its weight says. */
    private static String choose(Random random, Weighted... alternatives) {
        var draw = random.nextInt(Stream.of(alternatives).mapToInt(Weighted::weight).sum());
        var index = 0;
        while (draw >= alternatives[index].weight()) {
            draw -= alternatives[index].weight();
            index++;
        }
        return alternatives[index].value().get();
    }

    private static <T> T anyOf(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** Up to maxSize elements; no element, one and maxSize are edges. */
    private static List<String> listOf(Random random, int maxSize, Supplier<String> element) {
        return Stream.generate(element).limit(intBetween(random, 0, maxSize)).toList();
    }

    /**
     * A number from min to max, one draw in five an edge (min, min + 1, max - 1 or max), as the edges are where
     * off-by-one errors lie and uniform drawing from a wide range seldom reaches them.
     */
    private static int intBetween(Random random, int min, int max) {
        if (random.nextInt(5) == 0) {
            return anyOf(random, List.of(min, Math.min(min + 1, max), Math.max(max - 1, min), max));
        }
        return min + random.nextInt(max - min + 1);
    }

    /** The string as a JSON string: quotes, backslashes, control characters and lone surrogates escaped. */
    private static String json(String value) {
        if (value == MEGABYTE && MEGABYTE_JSON != null) {
            // encoded once: encoding a megabyte in every case would cost more than the rest of the case
            return MEGABYTE_JSON;
        }
        var text = new StringBuilder("\"");
        for (var i = 0; i < value.length(); i++) {
            var c = value.charAt(i);
            if (c == '"' || c == '\\') {
                text.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                text.append(String.format("\\u%04x", (int) c));
            } else {
                text.append(c);
            }
        }
        return text.append('"').toString();
    }

    // ---------------------------------------------------------------- the real tree

    /**
     * A plan applied to a fresh real tree beside files outside its root: the whole temporary directory before and
     * after (paths relative to it), and the root's prefix in those paths.
     */
    private record RealTreeRun(ApplyReport report, Map<String, String> before, Map<String, String> after,
            String rootPrefix) {
    }

    private static RealTreeRun applyOnARealTree(Plan plan) throws IOException {
        var base = Files.createTempDirectory("hostile-plan");
        try {
            var root = realTree(base);
            var before = snapshot(base);
            var report = new PlanApplier(new SysfsLayout(root), new NioSysfsFiles(), true).apply(plan);
            return new RealTreeRun(report, before, snapshot(base), base.relativize(root) + "/");
        } finally {
            delete(base);
        }
    }

    /**
     * A host tree under {@code base/host}, shaped as the kernel's: mtty with the devices {@link #DEVICE} (defined)
     * and {@link #OTHER_DEVICE}, each with the links sysfs gives a device (vfio-dev/vfioN/device leads back to it,
     * vfio-dev/vfioN/subsystem to every vfio device, the other included); and beside the root the files a traversal
     * would reach: {@code base/etc/passwd} and {@code base/outside/create}.
     */
    private static Path realTree(Path base) throws IOException {
        var root = Files.createDirectories(base.resolve("host"));
        new FakeSysfs(root).mtty();
        var vfioClass = Files.createDirectories(root.resolve("sys/class/vfio-dev"));
        realDevice(root, DEVICE, "vfio0");
        realDevice(root, OTHER_DEVICE, "vfio1");
        for (var vfio : List.of("vfio0", "vfio1")) {
            var device = vfio.equals("vfio0") ? DEVICE : OTHER_DEVICE;
            Files.createSymbolicLink(vfioClass.resolve(vfio), Path.of("../../devices/virtual/mtty/mtty/" + device
                    + "/vfio-dev/" + vfio));
        }
        Files.writeString(Files.createDirectories(root.resolve("etc/mdevctl.d/mtty")).resolve(DEVICE),
                "{\"mdev_type\": \"mtty-1\", \"start\": \"auto\", \"attrs\": []}\n");
        Files.writeString(root.resolve("etc/hostname"), HOST + "\n");
        Files.writeString(Files.createDirectories(base.resolve("etc")).resolve("passwd"), "root:x:0:0::/root:/bin/sh");
        Files.writeString(Files.createDirectories(base.resolve("outside")).resolve("create"), "");
        return root;
    }

    private static void realDevice(Path root, String uuid, String vfio) throws IOException {
        var parent = root.resolve("sys/devices/virtual/mtty/mtty");
        var device = Files.createDirectories(parent.resolve(uuid));
        Files.writeString(device.resolve("remove"), "");
        Files.writeString(device.resolve("uevent"), "MDEV_TYPE=mtty-1\n");
        Files.writeString(Files.createDirectories(device.resolve("mdev")).resolve("weight"), "1\n");
        Files.createSymbolicLink(device.resolve("mdev_type"), Path.of("../mdev_supported_types/mtty-1"));
        Files.createSymbolicLink(device.resolve("subsystem"), Path.of("../../../../../bus/mdev"));
        var vfioDir = Files.createDirectories(device.resolve("vfio-dev").resolve(vfio));
        Files.createSymbolicLink(vfioDir.resolve("device"), Path.of("../../../" + uuid));
        Files.createSymbolicLink(vfioDir.resolve("subsystem"), Path.of("../../../../../../../class/vfio-dev"));
        Files.createSymbolicLink(parent.resolve("mdev_supported_types/mtty-1/devices").resolve(uuid),
                Path.of("../../../" + uuid));
        Files.createSymbolicLink(Files.createDirectories(root.resolve("sys/bus/mdev/devices")).resolve(uuid),
                Path.of("../../../devices/virtual/mtty/mtty/" + uuid));
    }

    /** Every entry under {@code base}, links not followed: a file's content, a link's target, or "dir". */
    private static Map<String, String> snapshot(Path base) throws IOException {
        var entries = new TreeMap<String, String>();
        try (var walk = Files.walk(base)) {
            for (var path : walk.toList()) {
                var key = base.relativize(path).toString();
                if (Files.isSymbolicLink(path)) {
                    entries.put(key, "-> " + Files.readSymbolicLink(path));
                } else if (Files.isDirectory(path)) {
                    entries.put(key, "dir");
                } else {
                    entries.put(key, Files.readString(path, StandardCharsets.ISO_8859_1));
                }
            }
        }
        return entries;
    }

    private static List<String> changedPaths(Map<String, String> before, Map<String, String> after) {
        var changed = new ArrayList<String>();
        var keys = new TreeMap<>(before);
        keys.putAll(after);
        for (var key : keys.keySet()) {
            if (!String.valueOf(before.get(key)).equals(String.valueOf(after.get(key)))) {
                changed.add(key);
            }
        }
        return changed;
    }

    private static void delete(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (var path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
