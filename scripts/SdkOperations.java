import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Build step of the Lambda modules, between shade and ProGuard: drops from a shaded jar the request,
 * response, marshaller and paginator classes of every AWS SDK operation that nothing in the jar calls, so
 * ProGuard no longer keeps them (and the model shapes only they use) alive; then checks the shrunk jar.
 *
 * <pre>
 * java scripts/SdkOperations.java trim  SHADED.jar TRIMMED.jar REPORT.txt
 * java scripts/SdkOperations.java check DEPLOYABLE.jar REPORT.txt
 * </pre>
 *
 * An operation counts as called when any class outside the service's generated per-operation code (its
 * client interfaces and implementations, model, transform and paginators packages, the endpoint
 * resolver's switch over every operation name, waiters and warm-up providers) names its request or
 * response class, its paginator, or a client method of its name: our code, and the SDK's own internal
 * calls (S3's cross-region HeadBucket, the presigner, Route 53's id interceptor). Only classes named
 * after an unused operation go, never a shape. {@code check} fails when code left in the shrunk jar,
 * other than the endpoint resolvers' switches (whose cases only run for the operation being called),
 * still uses a dropped class. The trim also drops the async client classes of every service that nothing
 * outside them uses asynchronously (see {@link #ASYNC_CLIENT}); {@code check} covers those too.
 */
final class SdkOperations {

    private static final Pattern SERVICE_CLASS = Pattern.compile(
            "software/amazon/awssdk/services/([a-z0-9]+)/(.+)\\.class");
    /**
     * Classes generated per operation, the endpoint resolver's switch over every operation name, and the
     * waiters and warm-up providers, reached only through {@code client.waiter()} and {@code SdkWarmUp},
     * which our code does not call (if it starts to, {@code check} fails: their code would use what went).
     */
    private static final Pattern PER_OPERATION = Pattern.compile(
            "(model|transform|paginators|waiters|internal/warmup)/.*|[A-Za-z0-9]*Client(\\$.*)?|endpoints/internal/[A-Za-z0-9]*EndpointResolverUtils(\\$.*)?");
    private static final Pattern MARSHALLER = Pattern.compile(
            "software/amazon/awssdk/services/([a-z0-9]+)/transform/([A-Za-z0-9]+)RequestMarshaller\\.class");
    private static final Pattern NAMED = Pattern.compile(
            "software/amazon/awssdk/services/([a-z0-9]+)/(?:model/([A-Za-z0-9]+?)(?:Request|Response|ResponseHandler)"
                    + "|paginators/([A-Za-z0-9]+?)(?:Iterable|Publisher))(?![A-Za-z0-9])");
    /** A class generated for one operation (its name is the operation's plus a suffix, nested classes too). */
    private static final Pattern OPERATION_CLASS = Pattern.compile(
            "software/amazon/awssdk/services/([a-z0-9]+)/(?:model/([A-Za-z0-9]+)(?:Request|Response|ResponseHandler)"
                    + "|transform/([A-Za-z0-9]+)(?:RequestMarshaller|ResponseUnmarshaller)"
                    + "|paginators/([A-Za-z0-9]+)(?:Iterable|Publisher))(?:\\$[A-Za-z0-9_$]*)?\\.class");
    private static final Pattern CLIENT = Pattern.compile(
            "software/amazon/awssdk/services/([a-z0-9]+)/[A-Za-z0-9]*Client");
    /**
     * A service's async client: its interface and builder and their default implementations. ProGuard keeps
     * the interface of every shipped service (its default methods implement ones the sync client's callers
     * invoke), whether or not anything uses the service asynchronously.
     */
    private static final Pattern ASYNC_CLIENT = Pattern.compile(
            "(software/amazon/awssdk/services/[a-z0-9]+/(?!internal/)(?:[a-z0-9]+/)?)(?:Default)?([A-Z][A-Za-z0-9]*?)"
                    + "AsyncClient(?:Builder)?(?:\\$[A-Za-z0-9_$]*)?\\.class");
    /**
     * Code reached only through an async client (its paginators' publishers), {@code client.waiter()} or
     * {@code SdkWarmUp}: what it names does not make an async client used.
     */
    private static final Pattern ASYNC_ONLY = Pattern.compile(
            "software/amazon/awssdk/services/[a-z0-9]+/(?:[a-z0-9]+/)?(?:waiters/.*|internal/warmup/.*"
                    + "|paginators/[A-Za-z0-9]+Publisher(?:\\$[A-Za-z0-9_$]*)?\\.class)");
    private static final Pattern ANY_SERVICE_CLASS = Pattern.compile(
            "software/amazon/awssdk/services/[A-Za-z0-9_/$]+");

    public static void main(String[] args) throws IOException {
        if (args.length == 4 && args[0].equals("trim")) {
            trim(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
        } else if (args.length == 3 && args[0].equals("check")) {
            check(Path.of(args[1]), Path.of(args[2]));
        } else {
            System.err.println("usage: SdkOperations trim SHADED.jar TRIMMED.jar REPORT.txt"
                    + " | check DEPLOYABLE.jar REPORT.txt");
            System.exit(2);
        }
    }

    private static void trim(Path shaded, Path trimmed, Path report) throws IOException {
        try (ZipFile jar = new ZipFile(shaded.toFile())) {
            Map<String, Set<String>> operations = new TreeMap<>();
            jar.stream().forEach(entry -> {
                Matcher m = MARSHALLER.matcher(entry.getName());
                if (m.matches()) {
                    operations.computeIfAbsent(m.group(1), s -> new TreeSet<>()).add(m.group(2));
                }
            });
            Map<String, Set<String>> called = new TreeMap<>();
            for (ZipEntry entry : jar.stream().toList()) {
                if (entry.getName().endsWith(".class") && !isPerOperation(entry.getName())) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        ClassConstants.read(in).operations(operations)
                                .forEach(op -> called.computeIfAbsent(op[0], s -> new TreeSet<>()).add(op[1]));
                    }
                }
            }
            Set<String> dropped = new TreeSet<>();
            List<String> lines = new ArrayList<>();
            operations.forEach((service, all) -> {
                Set<String> kept = called.getOrDefault(service, Set.of());
                Set<String> unused = new TreeSet<>(all);
                unused.removeAll(kept);
                jar.stream().map(ZipEntry::getName)
                        .filter(name -> isOperationClass(name, service, unused))
                        .forEach(dropped::add);
                lines.add("service " + service + ": " + kept.size() + " of " + all.size() + " operations called: "
                        + String.join(", ", kept));
            });
            Set<String> unusedAsync = unusedAsyncClients(jar);
            unusedAsync.forEach(family -> lines.add("async client nothing uses: " + family + "AsyncClient"));
            jar.stream().map(ZipEntry::getName).filter(name -> {
                Matcher m = ASYNC_CLIENT.matcher(name);
                return m.matches() && unusedAsync.contains(m.group(1) + m.group(2));
            }).forEach(dropped::add);
            dropped.forEach(name -> lines.add("dropped " + name));
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(trimmed))) {
                for (ZipEntry entry : jar.stream().toList()) {
                    if (!dropped.contains(entry.getName())) {
                        var copy = new ZipEntry(entry.getName());
                        copy.setTime(entry.getTime());
                        out.putNextEntry(copy);
                        try (InputStream in = jar.getInputStream(entry)) {
                            in.transferTo(out);
                        }
                        out.closeEntry();
                    }
                }
            }
            Files.write(report, lines);
            System.out.printf("SdkOperations: dropped %d classes of unused SDK operations from %s (see %s)%n",
                    dropped.size(), shaded.getFileName(), report.getFileName());
        }
    }

    /**
     * The async clients (as {@code .../services/<service>/<Name>}) that nothing refers to but their own
     * classes and {@link #ASYNC_ONLY} code.
     */
    private static Set<String> unusedAsyncClients(ZipFile jar) throws IOException {
        Set<String> families = new TreeSet<>();
        jar.stream().forEach(entry -> {
            Matcher m = ASYNC_CLIENT.matcher(entry.getName());
            if (m.matches()) {
                families.add(m.group(1) + m.group(2));
            }
        });
        Set<String> unused = new TreeSet<>(families);
        for (ZipEntry entry : jar.stream().toList()) {
            String name = entry.getName();
            if (!name.endsWith(".class") || ASYNC_CLIENT.matcher(name).matches()
                    || ASYNC_ONLY.matcher(name).matches()) {
                continue;
            }
            try (InputStream in = jar.getInputStream(entry)) {
                for (String text : LiveReferences.of(in.readAllBytes())) {
                    unused.removeIf(family -> text.contains(family + "AsyncClient"));
                }
            }
        }
        return unused;
    }

    private static void check(Path deployable, Path report) throws IOException {
        Set<String> dropped = new TreeSet<>();
        for (String line : Files.readAllLines(report)) {
            if (line.startsWith("dropped ")) {
                dropped.add(line.substring("dropped ".length(), line.length() - ".class".length()));
            }
        }
        List<String> problems = new ArrayList<>();
        try (ZipFile jar = new ZipFile(deployable.toFile())) {
            for (ZipEntry entry : jar.stream().toList()) {
                String name = entry.getName();
                if (!name.endsWith(".class") || isEndpointResolverSwitch(name)) {
                    continue;
                }
                try (InputStream in = jar.getInputStream(entry)) {
                    for (String text : LiveReferences.of(in.readAllBytes())) {
                        Matcher m = ANY_SERVICE_CLASS.matcher(text);
                        while (m.find()) {
                            if (dropped.contains(m.group())) {
                                problems.add(name + " uses the dropped " + m.group());
                            }
                        }
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            problems.forEach(System.err::println);
            System.err.println("SdkOperations: code in " + deployable.getFileName() + " still uses classes of"
                    + " operations the trim dropped; it would fail where it runs");
            System.exit(1);
        }
        System.out.println("SdkOperations: no code in " + deployable.getFileName() + " uses a dropped class");
    }

    private static boolean isPerOperation(String entry) {
        Matcher m = SERVICE_CLASS.matcher(entry);
        return m.matches() && PER_OPERATION.matcher(m.group(2)).matches();
    }

    private static boolean isEndpointResolverSwitch(String entry) {
        Matcher m = SERVICE_CLASS.matcher(entry);
        return m.matches() && m.group(2).matches("endpoints/internal/[A-Za-z0-9]*EndpointResolverUtils(\\$.*)?");
    }

    private static boolean isOperationClass(String entry, String service, Set<String> unused) {
        Matcher m = OPERATION_CLASS.matcher(entry);
        if (!m.matches() || !m.group(1).equals(service)) {
            return false;
        }
        for (int group = 2; group <= 4; group++) {
            if (m.group(group) != null) {
                return unused.contains(m.group(group));
            }
        }
        return false;
    }

    /**
     * The class names and descriptors a class file's code, fields, methods and hierarchy use: what the JVM
     * may load or link while running it. Left out: what only reflection reads (InnerClasses, Signature,
     * Exceptions, annotations, debug tables), and constants nothing refers to (ProGuard leaves those of
     * classes it could not resolve in the pool).
     */
    private static final class LiveReferences {
        private final ByteBuffer in;
        private final int[] offsets;
        private final int[] tags;
        private final List<String> found = new ArrayList<>();
        private final Set<Integer> seen = new java.util.HashSet<>();
        private final List<Integer> bootstrapAttributes = new ArrayList<>();

        private LiveReferences(byte[] bytes) {
            in = ByteBuffer.wrap(bytes);
            in.position(8);
            int count = u2();
            offsets = new int[count];
            tags = new int[count];
            for (int i = 1; i < count; i++) {
                offsets[i] = in.position();
                tags[i] = u1();
                switch (tags[i]) {
                    case 1 -> {
                        int length = u2();
                        in.position(in.position() + length);
                    }
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.position(in.position() + 4);
                    case 5, 6 -> {
                        in.position(in.position() + 8);
                        i++;
                    }
                    case 7, 8, 16, 19, 20 -> in.position(in.position() + 2);
                    case 15 -> in.position(in.position() + 3);
                    default -> throw new IllegalStateException("unknown constant pool tag " + tags[i]);
                }
            }
        }

        static List<String> of(byte[] bytes) {
            var refs = new LiveReferences(bytes);
            refs.walk();
            return refs.found;
        }

        private void walk() {
            in.position(in.position() + 2); // access flags
            constant(u2()); // this
            constant(u2()); // super
            for (int n = u2(); n > 0; n--) {
                constant(u2());
            }
            for (int members = 0; members < 2; members++) { // fields, then methods
                for (int n = u2(); n > 0; n--) {
                    in.position(in.position() + 4); // access flags, name
                    constant(u2()); // descriptor
                    attributes();
                }
            }
            int classAttributes = in.position();
            for (int n = u2(); n > 0; n--) {
                String name = utf8(u2());
                int length = in.getInt();
                if (name.equals("BootstrapMethods")) {
                    bootstrapAttributes.add(in.position());
                }
                in.position(in.position() + length);
            }
            for (int at : bootstrapAttributes) { // bootstrap methods and their arguments
                in.position(at);
                for (int n = u2(); n > 0; n--) {
                    constant(u2());
                    for (int args = u2(); args > 0; args--) {
                        constant(u2());
                    }
                }
            }
            in.position(classAttributes);
        }

        private void attributes() {
            for (int n = u2(); n > 0; n--) {
                String name = utf8(u2());
                int length = in.getInt();
                int end = in.position() + length;
                if (name.equals("Code")) {
                    in.position(in.position() + 4); // max stack, max locals
                    int codeLength = in.getInt();
                    code(in.position(), codeLength);
                    in.position(in.position() + codeLength);
                    for (int handlers = u2(); handlers > 0; handlers--) {
                        in.position(in.position() + 6);
                        constant(u2()); // catch type
                    }
                }
                in.position(end);
            }
        }

        private void code(int start, int length) {
            int pc = 0;
            while (pc < length) {
                int op = in.get(start + pc) & 0xff;
                switch (op) {
                    case 0x12 -> constant(in.get(start + pc + 1) & 0xff); // ldc
                    case 0x13, 0x14, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbb, 0xbd, 0xc0, 0xc1, 0xc5 ->
                            constant(in.getShort(start + pc + 1) & 0xffff);
                    default -> {
                    }
                }
                pc += switch (op) {
                    case 0x10, 0x12, 0x15, 0x16, 0x17, 0x18, 0x19, 0x36, 0x37, 0x38, 0x39, 0x3a, 0xa9, 0xbc -> 2;
                    case 0x11, 0x13, 0x14, 0x84, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4,
                            0xa5, 0xa6, 0xa7, 0xa8, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xbb, 0xbd, 0xc0, 0xc1, 0xc6,
                            0xc7 -> 3;
                    case 0xc5 -> 4;
                    case 0xb9, 0xba, 0xc8, 0xc9 -> 5;
                    case 0xc4 -> (in.get(start + pc + 1) & 0xff) == 0x84 ? 6 : 4; // wide
                    case 0xaa -> { // tableswitch
                        int p = (pc + 4) & ~3;
                        int low = in.getInt(start + p + 4);
                        int high = in.getInt(start + p + 8);
                        yield p - pc + 12 + 4 * (high - low + 1);
                    }
                    case 0xab -> { // lookupswitch
                        int p = (pc + 4) & ~3;
                        yield p - pc + 8 + 8 * in.getInt(start + p + 4);
                    }
                    default -> 1;
                };
            }
        }

        /** Follows a constant to the class names and descriptors it stands for. */
        private void constant(int index) {
            if (index == 0 || !seen.add(index)) {
                return;
            }
            int at = offsets[index] + 1;
            switch (tags[index]) {
                case 1 -> found.add(utf8(index));
                case 7, 16 -> constant(in.getShort(at) & 0xffff); // class, method type
                case 9, 10, 11 -> { // field and method references
                    constant(in.getShort(at) & 0xffff);
                    constant(in.getShort(at + 2) & 0xffff);
                }
                case 12 -> constant(in.getShort(at + 2) & 0xffff); // name and type: the descriptor
                case 15 -> constant(in.getShort(at + 1) & 0xffff); // method handle
                case 17, 18 -> constant(in.getShort(at + 2) & 0xffff); // (invoke)dynamic: its name and type
                default -> {
                }
            }
        }

        private String utf8(int index) {
            int at = offsets[index] + 1;
            int length = in.getShort(at) & 0xffff;
            return new String(in.array(), at + 2, length, java.nio.charset.StandardCharsets.UTF_8);
        }

        private int u1() {
            return in.get() & 0xff;
        }

        private int u2() {
            return in.getShort() & 0xffff;
        }
    }

    /** The texts and method references of a class file's constant pool. */
    private record ClassConstants(List<String> texts, List<String[]> methods) {

        /** [service, operation] for every operation this class names, among {@code operations}. */
        List<String[]> operations(Map<String, Set<String>> operations) {
            List<String[]> found = new ArrayList<>();
            for (String text : texts) {
                Matcher m = NAMED.matcher(text);
                while (m.find()) {
                    String op = m.group(2) != null ? m.group(2) : m.group(3);
                    if (operations.getOrDefault(m.group(1), Set.of()).contains(op)) {
                        found.add(new String[] {m.group(1), op});
                    }
                }
            }
            for (String[] method : methods) { // owner, name
                Matcher m = CLIENT.matcher(method[0]);
                if (m.matches() && !method[1].isEmpty()) {
                    String name = method[1].endsWith("Paginator")
                            ? method[1].substring(0, method[1].length() - "Paginator".length()) : method[1];
                    String op = Character.toUpperCase(name.charAt(0)) + name.substring(1);
                    if (operations.getOrDefault(m.group(1), Set.of()).contains(op)) {
                        found.add(new String[] {m.group(1), op});
                    }
                }
            }
            return found;
        }

        static ClassConstants read(InputStream stream) {
            try {
                var in = new DataInputStream(stream);
                if (in.readInt() != 0xCAFEBABE) {
                    throw new IOException("not a class file");
                }
                in.readUnsignedShort();
                in.readUnsignedShort();
                int count = in.readUnsignedShort();
                String[] utf8 = new String[count];
                int[] classNames = new int[count];
                int[][] refs = new int[count][];
                int[] nameOfNameAndType = new int[count];
                for (int i = 1; i < count; i++) {
                    int tag = in.readUnsignedByte();
                    switch (tag) {
                        case 1 -> utf8[i] = in.readUTF();
                        case 7 -> classNames[i] = in.readUnsignedShort();
                        case 9, 10, 11 -> refs[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                        case 12 -> {
                            nameOfNameAndType[i] = in.readUnsignedShort();
                            in.readUnsignedShort();
                        }
                        case 3, 4, 17, 18 -> in.readInt();
                        case 5, 6 -> {
                            in.readLong();
                            i++;
                        }
                        case 8, 16, 19, 20 -> in.readUnsignedShort();
                        case 15 -> {
                            in.readUnsignedByte();
                            in.readUnsignedShort();
                        }
                        default -> throw new IOException("unknown constant pool tag " + tag);
                    }
                }
                List<String> texts = new ArrayList<>();
                for (String s : utf8) {
                    if (s != null) {
                        texts.add(s);
                    }
                }
                List<String[]> methods = new ArrayList<>();
                for (int[] ref : refs) {
                    if (ref != null) {
                        methods.add(new String[] {utf8[classNames[ref[0]]], utf8[nameOfNameAndType[ref[1]]]});
                    }
                }
                return new ClassConstants(texts, methods);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
