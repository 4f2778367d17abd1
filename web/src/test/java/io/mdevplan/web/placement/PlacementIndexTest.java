package io.mdevplan.web.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mdevplan.planner.fleet.FleetDevice;
import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.fleet.FleetWorkload;
import io.mdevplan.planner.online.PlacementDecision;
import io.mdevplan.planner.online.PlacementRequest;
import io.mdevplan.planner.policy.PolicyCatalog;
import io.mdevplan.web.placement.HostBooks.IndexedHost;
import io.mdevplan.web.placement.PlacementIndex.Booking;
import io.mdevplan.web.placement.PlacementIndex.ParentRef;
import io.mdevplan.web.testing.TestFleets;

/** The version bookkeeping that keeps a replica's view from overbooking: no database, the index alone. */
class PlacementIndexTest {

    private static final long NODE_1 = 101;
    private static final long NODE_2 = 102;
    private static final String MDPY = "mdpy";

    private final PlacementIndex index = new PlacementIndex();

    @BeforeEach
    void install() {
        index.install(List.of(host(NODE_1, 1, 5, 0), host(NODE_2, 2, 9, 0)));
    }

    @Test
    void claimsOnlyAViewAtTheVersionBeforeTheBumpAndBooksWithinIt() {
        assertThat(index.claim(NODE_1, 7)).isFalse();
        assertThat(index.tryBook(NODE_1, 6, vga("vm-1"), MDPY)).isEqualTo(new Booking.Stale(NODE_1));

        assertThat(index.claim(NODE_1, 6)).isTrue();

        assertThat(index.tryBook(NODE_1, 6, vga("vm-1"), MDPY)).isEqualTo(new Booking.Booked(NODE_1, 1001));
        // the same transaction books again at the version it holds
        assertThat(index.tryBook(NODE_1, 6, vga("vm-2"), MDPY)).isInstanceOf(Booking.Booked.class);
        // the next transaction must bump past it
        assertThat(index.claim(NODE_1, 6)).isFalse();
        assertThat(index.claim(NODE_1, 7)).isTrue();
    }

    @Test
    void anExactViewRefusesAFullParentInThePlannersWords() {
        index.refresh(host(NODE_1, 1, 6, 4));

        var refused = index.tryBook(NODE_1, 6, vga("vm-1"), MDPY);

        assertThat(refused).isInstanceOf(Booking.Refused.class);
        assertThat(((Booking.Refused) refused).reason()).contains("node-1/mdpy");
        assertThat(index.decide(vga("vm-1"), PolicyCatalog.defaultPolicy(), Set.of()))
                .isEqualTo(new PlacementDecision.Placed("node-2", MDPY));
    }

    @Test
    void anAvoidedParentIsNotChosenAndKeepsItsRoomForTheNextDecision() {
        // pack prefers node-1's mdpy, in use with one device of four left
        index.refresh(host(NODE_1, 1, 5, 3));
        var pack = PolicyCatalog.defaultPolicy();
        var avoided = Set.of(new ParentRef("node-1", MDPY));

        assertThat(index.decide(vga("vm-1"), pack, avoided)).isEqualTo(new PlacementDecision.Placed("node-2", MDPY));
        assertThat(index.decide(vga("vm-1"), pack, Set.of())).isEqualTo(new PlacementDecision.Placed("node-1", MDPY));
        assertThat(index.claim(NODE_1, 6)).isTrue();
        assertThat(index.tryBook(NODE_1, 6, vga("vm-1"), MDPY)).isInstanceOf(Booking.Booked.class);
    }

    @Test
    void avoidingEveryParentThatFitsRefusesInThePlannersWords() {
        var refused = index.decide(vga("vm-1"), PolicyCatalog.defaultPolicy(),
                Set.of(new ParentRef("node-1", MDPY), new ParentRef("node-2", MDPY)));

        assertThat(refused).isInstanceOf(PlacementDecision.Refused.class);
        assertThat(((PlacementDecision.Refused) refused).reason()).contains("mdpy-vga");
        // what filled them is gone
        assertThat(index.decide(vga("vm-1"), PolicyCatalog.defaultPolicy(), Set.of()))
                .isInstanceOf(PlacementDecision.Placed.class);
    }

    @Test
    void aForgottenBookingFreesItsCapacityAndLeavesTheHostUnknown() {
        index.refresh(host(NODE_1, 1, 6, 3));
        index.claim(NODE_1, 7);
        index.tryBook(NODE_1, 7, vga("vm-1"), MDPY);

        index.forget(NODE_1, "vm-1");

        assertThat(index.claim(NODE_1, 8)).isFalse();
        assertThat(index.stale(Map.of(NODE_1, 8L, NODE_2, 9L))).containsExactly(NODE_1);
        assertThat(index.refresh(host(NODE_1, 1, 8, 3))).isTrue();
        assertThat(index.claim(NODE_1, 9)).isTrue();
        assertThat(index.tryBook(NODE_1, 9, vga("vm-2"), MDPY)).isInstanceOf(Booking.Booked.class);
    }

    @Test
    void aClaimWhoseTransactionDidNotCommitIsDistrustedEvenAtItsVersion() {
        index.claim(NODE_1, 6);

        index.forget(NODE_1);

        // another replica may have committed version 6 with other bookings meanwhile
        assertThat(index.stale(Map.of(NODE_1, 6L, NODE_2, 9L))).containsExactly(NODE_1);
        assertThat(index.claim(NODE_1, 7)).isFalse();
    }

    @Test
    void anUnbookedWorkloadFreesItsCapacityAndKeepsTheVersion() {
        index.refresh(host(NODE_1, 1, 5, 3));
        index.claim(NODE_1, 6);
        index.tryBook(NODE_1, 6, vga("vm-1"), MDPY);

        index.unbook(NODE_1, "vm-1");

        assertThat(index.stale(Map.of(NODE_1, 6L, NODE_2, 9L))).isEmpty();
        // the parent takes four: refused while vm-1 held the fourth
        assertThat(index.tryBook(NODE_1, 6, vga("vm-2"), MDPY)).isInstanceOf(Booking.Booked.class);
    }

    @Test
    void aReleaseOnAnExactViewMovesItOneAndOnAStaleOneLeavesItUnknown() {
        index.claim(NODE_1, 6);
        index.tryBook(NODE_1, 6, vga("vm-1"), MDPY);

        index.release(NODE_1, 6, "vm-1");
        index.release(NODE_2, 3, "nobody");

        assertThat(index.stale(Map.of(NODE_1, 7L, NODE_2, 9L))).containsExactly(NODE_2);
    }

    @Test
    void aHostThatOffersSomethingElseOrANewHostNeedsARebuild() {
        var relabelled = host(NODE_1, 1, 6, 0);
        var moved = new IndexedHost(NODE_1, 6, new FleetHost("node-1", Map.of("zone", "c"), true,
                relabelled.host().parents()), List.of(), relabelled.parentIds());

        assertThat(index.refresh(moved)).isFalse();
        assertThat(index.stale(Map.of(NODE_1, 5L))).isNull();
        assertThat(index.stale(Map.of(NODE_1, 5L, NODE_2, 9L, 103L, 0L))).isNull();
        assertThat(index.stale(Map.of(NODE_1, 5L, NODE_2, 9L))).isEmpty();
        assertThat(index.claim(999, 1)).isFalse();
        assertThat(index.tryBook(999, 0, vga("vm-1"), MDPY)).isEqualTo(new Booking.Gone());
        assertThat(index.tryBook(NODE_1, 5, vga("vm-1"), "0000:00:02.0")).isEqualTo(new Booking.Gone());
    }

    @Test
    void aWorkloadTheViewHoldsIsADuplicateUntilDroppedAsStale() {
        index.claim(NODE_1, 6);
        index.tryBook(NODE_1, 6, vga("vm-1"), MDPY);

        assertThat(index.tryBook(NODE_2, 9, vga("vm-1"), MDPY)).isEqualTo(new Booking.Duplicate());
        index.dropStale("vm-1");

        assertThat(index.stale(Map.of(NODE_1, 6L, NODE_2, 9L))).containsExactly(NODE_1);
        assertThat(index.tryBook(NODE_2, 9, vga("vm-1"), MDPY)).isInstanceOf(Booking.Booked.class);
    }

    @Test
    void aReloadThatFindsAWorkloadOnAnotherHostLeavesTheOldOneUnknown() {
        index.claim(NODE_1, 6);
        index.tryBook(NODE_1, 6, vga("vm-1"), MDPY);
        var node2 = host(NODE_2, 2, 10, 0);
        var moved = new IndexedHost(NODE_2, 10, TestFleets.dsaHost(2, List.of(new FleetDevice(
                new UUID(NODE_2, 1).toString(), "mdpy-vga", 1, "vm-1"))),
                List.of(new FleetWorkload("vm-1", "mdpy-vga", 1, 1, null, Map.of())), node2.parentIds());

        assertThat(index.refresh(moved)).isTrue();

        assertThat(index.stale(Map.of(NODE_1, 6L, NODE_2, 10L))).containsExactly(NODE_1);
    }

    private static PlacementRequest vga(String workload) {
        return new PlacementRequest(workload, "mdpy-vga", 1, 1, null, Map.of());
    }

    /** Host node-{number} at a version, its mdpy parent holding that many anonymous devices. */
    private static IndexedHost host(long id, int number, long version, int devices) {
        var mdpy = new ArrayList<FleetDevice>();
        for (var i = 0; i < devices; i++) {
            mdpy.add(new FleetDevice(new UUID(id, i).toString(), "mdpy-vga", 1, null));
        }
        return new IndexedHost(id, version, TestFleets.dsaHost(number, mdpy), List.of(),
                Map.of("0000:6a:01.0", id * 10, MDPY, id * 10 - 9));
    }
}
