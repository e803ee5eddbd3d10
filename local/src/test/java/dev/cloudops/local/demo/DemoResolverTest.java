package dev.cloudops.local.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The demo's resolvers over real UDP, asked by dnsjava's own resolver. */
class DemoResolverTest {

    @Test
    void theWorkingResolver_answersLocalhostNamesWith127001_andNxdomainForOthers() throws Exception {
        try (DemoResolver resolver = DemoResolver.working()) {
            Message status = ask(resolver, "status.localhost.", Type.A);
            Message bare = ask(resolver, "localhost.", Type.A);
            Message v6 = ask(resolver, "status.localhost.", Type.AAAA);
            Message other = ask(resolver, "www.example.com.", Type.A);

            assertThat(status.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(status.getSection(Section.ANSWER)).singleElement().satisfies(r -> assertThat(
                    ((ARecord) r).getAddress().getHostAddress()).isEqualTo("127.0.0.1"));
            assertThat(bare.getSection(Section.ANSWER)).hasSize(1);
            assertThat(v6.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(v6.getSection(Section.ANSWER)).isEmpty();
            assertThat(other.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        }
    }

    @Test
    void theBrokenResolver_answersNxdomainForTheNameItLost_andTheOthersAsTheWorkingOne() throws Exception {
        try (DemoResolver resolver = DemoResolver.losing("Status.localhost")) {
            assertThat(ask(resolver, "status.localhost.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
            assertThat(ask(resolver, "status.localhost.", Type.AAAA).getRcode()).isEqualTo(Rcode.NXDOMAIN);
            assertThat(ask(resolver, "www.example.com.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
            Message shop = ask(resolver, "shop.demo.localhost.", Type.A);
            assertThat(shop.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(shop.getSection(Section.ANSWER)).singleElement().satisfies(r -> assertThat(
                    ((ARecord) r).getAddress().getHostAddress()).isEqualTo("127.0.0.1"));
        }
    }

    @Test
    void bytesThatAreNoQuery_areDropped() {
        try (DemoResolver resolver = DemoResolver.working()) {
            assertThat(resolver.answer(new byte[] {1, 2, 3})).isNull();
        }
    }

    private static Message ask(DemoResolver resolver, String name, int type) throws Exception {
        SimpleResolver simple = new SimpleResolver(resolver.endpoint());
        simple.setTimeout(Duration.ofSeconds(2));
        return simple.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }
}
