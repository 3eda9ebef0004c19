package dev.streamtune.trainer.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    private static final double EPS = 1e-12;

    @Test
    void warmsUpLinearlyThenDecaysLinearlyToTheFloor() {
        var schedule = new LearningRateSchedule(1e-3, 4, 14, LearningRateSchedule.Decay.LINEAR, 0.1);
        assertEquals(0.25e-3, schedule.at(0), EPS);
        assertEquals(1e-3, schedule.at(3), EPS);
        assertEquals(1e-3, schedule.at(4), EPS, "decay starts at the peak");
        // decay runs over steps 4..13; at step 7 progress is 3/9: floor + (peak - floor) * 2/3
        assertEquals(0.1e-3 + 0.9e-3 * 2 / 3, schedule.at(7), EPS);
        assertEquals(0.1e-3, schedule.at(13), EPS, "last step reaches the floor");
        assertEquals(0.1e-3, schedule.at(50), EPS, "and stays there");
    }

    @Test
    void cosineIsHalfwayAtTheMiddleOfTheDecay() {
        var schedule = new LearningRateSchedule(2.0, 0, 11, LearningRateSchedule.Decay.COSINE, 0.0);
        assertEquals(2.0, schedule.at(0), EPS);
        assertEquals(1.0, schedule.at(5), EPS);
        assertEquals(0.0, schedule.at(10), EPS);
    }

    @Test
    void constantStaysAtThePeakAfterWarmUp() {
        var schedule = new LearningRateSchedule(0.5, 2, 10, LearningRateSchedule.Decay.CONSTANT, 0.0);
        assertEquals(0.25, schedule.at(0), EPS);
        assertEquals(0.5, schedule.at(9), EPS);
    }

    @Test
    void nonsenseIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new LearningRateSchedule(-1, 0, 10, LearningRateSchedule.Decay.LINEAR, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new LearningRateSchedule(1, 0, 0, LearningRateSchedule.Decay.LINEAR, 0));
    }
}
