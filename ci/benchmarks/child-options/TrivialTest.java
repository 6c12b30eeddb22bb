import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

public class TrivialTest {
    @Test
    void adds() {
        assertEquals(2, 1 + 1);
    }
}
