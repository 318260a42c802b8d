package io.iomt.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.FilterChain;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class ClientRequestLimitFilterTest {
  private final ClientRequestLimitFilter filter = new ClientRequestLimitFilter(3);

  private static MockHttpServletRequest from(String address) {
    MockHttpServletRequest r = new MockHttpServletRequest("POST", "/ingest/test");
    r.setRemoteAddr(address);
    r.setContent(new byte[10]);
    return r;
  }

  /**
   * Requests of one address arriving while all earlier ones are still in progress (each enters the
   * filter from inside the previous one's chain); returns their statuses, outermost first.
   */
  private List<Integer> nested(String address, int count, FilterChain innermost) throws Exception {
    List<Integer> statuses = new ArrayList<>();
    List<MockHttpServletResponse> responses = new ArrayList<>();
    FilterChain[] chains = new FilterChain[count];
    for (int i = count - 1; i >= 0; i--) {
      int next = i + 1;
      chains[i] =
          next == count
              ? innermost
              : (req, res) -> {
                MockHttpServletResponse response = new MockHttpServletResponse();
                responses.add(response);
                filter.doFilter(from(address), response, chains[next]);
              };
    }
    MockHttpServletResponse first = new MockHttpServletResponse();
    responses.add(0, first);
    filter.doFilter(from(address), first, chains[0]);
    for (MockHttpServletResponse r : responses) {
      statuses.add(r.getStatus());
    }
    return statuses;
  }

  @Test
  void theRequestOverTheLimitOfOneAddressIs429AndTheNextAfterAnAnswerGoesOn() throws Exception {
    List<Integer> inside = new ArrayList<>();
    List<Integer> statuses =
        nested("10.0.0.1", 4, (req, res) -> inside.add(filter.inProgress("10.0.0.1")));

    assertThat(statuses).containsExactly(200, 200, 200, 429);
    assertThat(inside).as("the refused fourth never reached the chain").isEmpty();
    assertThat(filter.inProgress("10.0.0.1")).as("released when answered").isZero();
    MockHttpServletResponse later = new MockHttpServletResponse();
    filter.doFilter(
        from("10.0.0.1"), later, (req, res) -> inside.add(filter.inProgress("10.0.0.1")));
    assertThat(later.getStatus()).isEqualTo(200);
    assertThat(inside).containsExactly(1);
  }

  @Test
  void aRefusalIsTheJsonShapeAndClosesTheConnection() throws Exception {
    MockHttpServletResponse[] refused = new MockHttpServletResponse[1];
    FilterChain third =
        (req, res) -> {
          refused[0] = new MockHttpServletResponse();
          filter.doFilter(from("10.0.0.2"), refused[0], (q, s) -> {});
        };
    FilterChain second =
        (req, res) -> filter.doFilter(from("10.0.0.2"), new MockHttpServletResponse(), third);
    FilterChain first =
        (req, res) -> filter.doFilter(from("10.0.0.2"), new MockHttpServletResponse(), second);
    filter.doFilter(from("10.0.0.2"), new MockHttpServletResponse(), first);

    assertThat(refused[0].getStatus()).isEqualTo(429);
    assertThat(refused[0].getHeader("Connection")).isEqualTo("close");
    assertThat(refused[0].getContentType()).isEqualTo("application/json");
    assertThat(refused[0].getContentAsString())
        .startsWith(
            "{\"code\":\"TooManyRequests\",\"message\":\"This client already has 3 requests");
  }

  @Test
  void anotherAddressIsNotLimitedByABusyOne() throws Exception {
    List<Integer> other = new ArrayList<>();
    nested(
        "10.0.0.3",
        3,
        (req, res) -> {
          MockHttpServletResponse r = new MockHttpServletResponse();
          filter.doFilter(from("10.0.0.4"), r, (q, s) -> {});
          other.add(r.getStatus());
        });
    assertThat(other).containsExactly(200);
  }
}
